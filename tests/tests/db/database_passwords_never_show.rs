//! A password in a database URL never shows: not in start-up errors (connection refused,
//! failed migration, malformed URL) and not in the log.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use modkit::Migration;
use modkit::config::ModulesConfig;
use modkit::db::sqlx::{self, Connection, PgConnection};
use modkit::registry::RegistryBuilder;
use modkit_tests::{DbModule, TempHome, TestHost, error_chain, postgres_url, table_migrations};

const PASSWORD: &str = "pa55-Wörd-never-shown";

/// Everything the host logs, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

/// Runs module `vault` with `migrations` against `dsn`; returns the error text.
async fn start(dsn: &str, migrations: Vec<Migration>) -> String {
    let home = TempHome::new();
    let config = ModulesConfig::empty().with_module_database(
        "vault",
        serde_json::json!({ "dsn": dsn, "schema": "modkit_pw_test" }),
    );
    let mut builder = RegistryBuilder::default();
    DbModule::new("vault", migrations).register(&mut builder);
    let finished = TestHost::new(builder)
        .config(config.clone())
        .db(home.manager(&config))
        .run_expecting_failure()
        .await;
    error_chain(finished.error())
}

fn with_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    format!(
        "{scheme}://postgres:{}@{rest}",
        PASSWORD.replace('ö', "%C3%B6")
    )
}

// One thread: everything the host does runs on it, so the subscriber set for this thread
// sees all of it, and no other test of this binary logs into it.
#[tokio::test(flavor = "current_thread")]
async fn passwords_never_reach_errors_or_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let mut errors = Vec::new();

    errors.push(
        start(
            &format!("postgres://app:{PASSWORD}@127.0.0.1:1/app"),
            table_migrations(1),
        )
        .await,
    );
    errors.push(
        start(
            &format!("postgres://app:{PASSWORD}@127.0.0.1:notaport/app"),
            table_migrations(1),
        )
        .await,
    );
    errors.push(
        start(
            &format!("postgres://127.0.0.1:1/app?user=app&password={PASSWORD}"),
            table_migrations(1),
        )
        .await,
    );
    assert!(
        errors[0].contains(
            "cannot open the database of module `vault` at postgres://app:***@127.0.0.1:1/app"
        ),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains("invalid `modules.vault.database.dsn`"),
        "{}",
        errors[1]
    );

    if let Some(url) = postgres_url("passwords_never_reach_errors_or_logs (failed migration)") {
        // The test server trusts everyone, so the password is accepted and ignored.
        let broken = vec![Migration::sql(1, "broken", "CREATE TABLE nope (")];
        let error = start(&with_password(&url), broken).await;
        assert!(
            error.contains(
                "migration 1 (`broken`) of module `vault` failed at postgres://postgres:***@"
            ),
            "{error}"
        );
        errors.push(error);
        let mut connection = PgConnection::connect(&url).await.unwrap();
        sqlx::query("DROP SCHEMA IF EXISTS modkit_pw_test CASCADE")
            .execute(&mut connection)
            .await
            .unwrap();
    }

    let logs = captured.text();
    // The runtime logs that start-up failed in `vault` (the error itself is the caller's to
    // print), so there is a log to search.
    assert!(
        logs.contains("\"vault\""),
        "the log names the failed module: {logs}"
    );
    for text in errors.iter().chain([&logs]) {
        assert!(
            !text.contains(PASSWORD) && !text.contains("pa55-W"),
            "a password leaked: {text}"
        );
    }
}
