//! Migration 3 of 5 fails: 1 and 2 stay applied, 3 leaves no table behind, the error names
//! the module and the version, no `init` runs, and a fixed rerun applies 3 to 5.

use modkit::Migration;
use modkit::registry::RegistryBuilder;
use modkit_tests::{DbModule, TestDb, TestHost, error_chain, table_migrations};

fn with_broken_third() -> Vec<Migration> {
    let mut migrations = table_migrations(5);
    migrations[2] = Migration::sql(
        3,
        "create t3",
        "CREATE TABLE t3 (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1)",
    );
    migrations
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_migration_is_rolled_back_and_a_fixed_rerun_continues() {
    for db in TestDb::each("a_failed_migration_is_rolled_back_and_a_fixed_rerun_continues") {
        let label = db.label();
        let config = db.config(&["inventory"]);

        let mut builder = RegistryBuilder::default();
        let probe = DbModule::new("inventory", with_broken_third()).register(&mut builder);
        let finished = TestHost::new(builder)
            .config(config.clone())
            .db(db.options(&config))
            .run_expecting_failure()
            .await;
        let error = error_chain(finished.error());
        assert!(
            error.contains("module `inventory` failed in the db phase"),
            "{label}: {error}"
        );
        assert!(
            error.contains("migration 3 (`create t3`) of module `inventory` failed"),
            "{label}: {error}"
        );
        assert_eq!(probe.inits(), 0, "{label}: no init after a failed db phase");
        assert_eq!(db.history("inventory").await, [1, 2], "{label}");
        assert!(db.has_table("inventory", "t2").await, "{label}");
        assert!(
            !db.has_table("inventory", "t3").await,
            "{label}: the half-made table is gone"
        );

        let mut builder = RegistryBuilder::default();
        let probe = DbModule::new("inventory", table_migrations(5)).register(&mut builder);
        TestHost::new(builder)
            .config(config.clone())
            .db(db.options(&config))
            .run_until_ready_then_shut_down()
            .await
            .assert_ok();
        assert_eq!(probe.inits(), 1, "{label}");
        assert_eq!(db.history("inventory").await, [1, 2, 3, 4, 5], "{label}");
        assert!(db.has_table("inventory", "t5").await, "{label}");
        db.clean_up().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_function_migration_is_rolled_back_too() {
    for db in TestDb::each("a_failing_function_migration_is_rolled_back_too") {
        let label = db.label();
        let config = db.config(&["jobs"]);
        let mut migrations = table_migrations(1);
        migrations.push(Migration::function(2, "half done", |mut tx| {
            Box::pin(async move {
                tx.execute("CREATE TABLE half (id INTEGER)").await?;
                anyhow::bail!("gave up half way")
            })
        }));
        let mut builder = RegistryBuilder::default();
        DbModule::new("jobs", migrations).register(&mut builder);
        let finished = TestHost::new(builder)
            .config(config.clone())
            .db(db.options(&config))
            .run_expecting_failure()
            .await;
        let error = error_chain(finished.error());
        assert!(
            error.contains("migration 2 (`half done`) of module `jobs` failed")
                && error.contains("gave up half way"),
            "{label}: {error}"
        );
        assert_eq!(db.history("jobs").await, [1], "{label}");
        assert!(!db.has_table("jobs", "half").await, "{label}");
        db.clean_up().await;
    }
}
