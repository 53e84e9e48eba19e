//! `run_migration_phases` (RunMode::MigrateOnly) runs pre_init and db, then returns: no
//! module is initialised or started.

use modkit::registry::RegistryBuilder;
use modkit_tests::{
    DbModule, EventLog, RecordingModule, TestDb, TestHost, pre_init, table_migrations,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_only_applies_migrations_and_starts_nothing() {
    let db = TestDb::sqlite();
    let log = EventLog::new();
    let config = db.config(&["catalog"]);
    let mut builder = RegistryBuilder::default();
    let catalog = DbModule::new("catalog", table_migrations(3)).register(&mut builder);
    RecordingModule::new("system", &log)
        .system()
        .stateful()
        .register(&mut builder);
    RecordingModule::new("worker", &log)
        .stateful()
        .register(&mut builder);

    let finished = TestHost::new(builder)
        .config(config.clone())
        .db(db.options(&config))
        .run_migrations()
        .await;
    finished.assert_ok();

    assert_eq!(db.history("catalog").await, [1, 2, 3]);
    assert_eq!(catalog.inits(), 0);
    log.assert_order(&[pre_init("system")]);
}
