//! Start-up stops, naming the module and the version, when an applied migration changed or
//! when a new version sits below an applied one; nothing is applied then.

use modkit::Migration;
use modkit::registry::RegistryBuilder;
use modkit_tests::{DbModule, TestDb, TestHost, error_chain, table_migrations};

async fn run(db: &TestDb, migrations: Vec<Migration>) -> Result<(), String> {
    let config = db.config(&["billing"]);
    let mut builder = RegistryBuilder::default();
    DbModule::new("billing", migrations).register(&mut builder);
    let finished = TestHost::new(builder)
        .config(config.clone())
        .db(db.options(&config))
        .run_until_ready_then_shut_down()
        .await;
    finished.result.map_err(|error| error_chain(&error))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_applied_migration_stops_start_up() {
    for db in TestDb::each("an_edited_applied_migration_stops_start_up") {
        let label = db.label();
        run(&db, table_migrations(2)).await.unwrap();

        let mut edited = table_migrations(3);
        edited[1] = Migration::sql(
            2,
            "create t2",
            "CREATE TABLE t2 (id INTEGER PRIMARY KEY, extra TEXT)",
        );
        let error = run(&db, edited).await.unwrap_err();
        assert!(
            error.contains("migration 2 of module `billing` changed after it was applied"),
            "{label}: {error}"
        );
        assert_eq!(
            db.history("billing").await,
            [1, 2],
            "{label}: 3 was not applied"
        );
        assert!(!db.has_table("billing", "t3").await, "{label}");
        db.clean_up().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_added_below_an_applied_one_stops_start_up() {
    let db = TestDb::sqlite();
    let mut gap = table_migrations(3);
    gap.remove(1);
    run(&db, gap).await.unwrap();
    assert_eq!(db.history("billing").await, [1, 3]);

    let error = run(&db, table_migrations(3)).await.unwrap_err();
    assert!(
        error.contains(
            "migration 2 of module `billing` is not applied but the later migration 3 is"
        ),
        "{error}"
    );
    assert!(!db.has_table("billing", "t2").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_declared_twice_stops_start_up() {
    let db = TestDb::sqlite();
    let mut twice = table_migrations(2);
    twice.push(Migration::sql(2, "again", "SELECT 1"));
    let error = run(&db, twice).await.unwrap_err();
    assert!(
        error.contains("module `billing` declares migration 2 more than once"),
        "{error}"
    );
    assert!(db.history("billing").await.is_empty());
}
