//! Two hosts that migrate the same database at the same time apply each migration exactly
//! once: on PostgreSQL through an advisory lock per module, on SQLite through
//! `BEGIN IMMEDIATE` and a re-check of the history inside the transaction.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use modkit::Migration;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit_tests::{DbModule, Finished, TestDb, TestHost};

const VERSIONS: usize = 6;

/// Every migration counts its runs (across both hosts) and writes one row; each one
/// pauses, so that the hosts overlap.
fn counted(runs: &Arc<Vec<AtomicUsize>>) -> Vec<Migration> {
    let mut migrations = vec![Migration::sql(
        1,
        "create log",
        "CREATE TABLE applied_log (version INTEGER NOT NULL)",
    )];
    for version in 2..=VERSIONS {
        let runs = Arc::clone(runs);
        migrations.push(Migration::function(
            i64::try_from(version).unwrap(),
            format!("step {version}"),
            move |mut tx| {
                let runs = Arc::clone(&runs);
                Box::pin(async move {
                    runs[version - 1].fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    tx.execute(&format!(
                        "INSERT INTO applied_log (version) VALUES ({version})"
                    ))
                    .await?;
                    anyhow::Ok(())
                })
            },
        ));
    }
    migrations
}

async fn host(db: &TestDb, config: &ModulesConfig, runs: &Arc<Vec<AtomicUsize>>) -> Finished {
    let mut builder = RegistryBuilder::default();
    DbModule::new("shared", counted(runs)).register(&mut builder);
    TestHost::new(builder)
        .config(config.clone())
        .db(db.options(config))
        .run_migrations()
        .await
}

async fn two_hosts_at_once(db: TestDb) {
    let label = db.label();
    let db = db.shared();
    let config = db.config(&["shared"]);
    let runs: Arc<Vec<AtomicUsize>> =
        Arc::new((0..VERSIONS).map(|_| AtomicUsize::new(0)).collect());
    let (first, second) = tokio::join!(host(&db, &config, &runs), host(&db, &config, &runs));
    first.assert_ok();
    second.assert_ok();
    for version in 2..=VERSIONS {
        assert_eq!(
            runs[version - 1].load(Ordering::SeqCst),
            1,
            "{label}: version {version} ran once"
        );
    }
    let expected: Vec<i64> = (1..=i64::try_from(VERSIONS).unwrap()).collect();
    assert_eq!(db.history("shared").await, expected, "{label}");
    assert_eq!(db.count("shared", "applied_log").await, 5, "{label}");
    db.clean_up().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hosts_on_postgres_apply_each_migration_once() {
    if let Some(db) = TestDb::postgres("two_hosts_on_postgres_apply_each_migration_once") {
        two_hosts_at_once(db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hosts_on_sqlite_apply_each_migration_once() {
    two_hosts_at_once(TestDb::sqlite()).await;
}
