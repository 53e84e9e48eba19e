//! The db phase reads every module's history at once, then migrates the modules one by one
//! in their order. A module whose database cannot be opened fails the phase in its own turn:
//! the modules before it are migrated, the ones after it are not, and the error names it.

use modkit::config::ModulesConfig;
use modkit::db::sqlx::{self, Connection, SqliteConnection};
use modkit::registry::RegistryBuilder;
use modkit_tests::{DbModule, TempHome, TestHost, error_chain, table_migrations};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_modules_before_it_migrate_and_the_ones_after_it_do_not() {
    let home = TempHome::new();
    // A directory is not a database file: opening it fails.
    let config = ModulesConfig::empty().with_module_database(
        "bravo",
        serde_json::json!({ "dsn": format!("sqlite://{}", home.path().display()) }),
    );
    let mut builder = RegistryBuilder::default();
    let probes = ["alpha", "bravo", "charlie"]
        .map(|name| DbModule::new(name, table_migrations(2)).register(&mut builder));

    let finished = TestHost::new(builder)
        .config(config.clone())
        .db(home.manager(&config))
        .run_expecting_failure()
        .await;

    let error = error_chain(finished.error());
    assert!(
        error.contains("module `bravo` failed in the db phase"),
        "{error}"
    );
    assert!(
        error.contains("cannot open the database of module `bravo`"),
        "{error}"
    );
    assert_eq!(applied(&home, "alpha").await, [1, 2], "alpha comes first");
    assert!(
        applied(&home, "charlie").await.is_empty(),
        "charlie comes after the failure: its history was read, nothing applied"
    );
    assert!(probes.iter().all(|probe| probe.inits() == 0), "no init ran");
}

/// The versions recorded for `module` in its embedded SQLite file (none without a history).
async fn applied(home: &TempHome, module: &str) -> Vec<i64> {
    let file = home.path().join("db").join(format!("{module}.sqlite"));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let mut connection = SqliteConnection::connect(&url).await.expect("open");
    sqlx::query_scalar("SELECT version FROM modkit_migrations WHERE module = ?1 ORDER BY version")
        .bind(module.to_owned())
        .fetch_all(&mut connection)
        .await
        .unwrap_or_default()
}
