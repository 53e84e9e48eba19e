//! The db phase applies each migration once: a second start applies nothing, and a module
//! gets its pool in `init` only after its migrations ran.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use modkit::Migration;
use modkit::registry::RegistryBuilder;
use modkit_tests::{DbModule, TestDb, TestHost};

fn migrations(seeded: &Arc<AtomicUsize>) -> Vec<Migration> {
    let seeded = Arc::clone(seeded);
    vec![
        Migration::sql(
            1,
            "create notes",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
        ),
        Migration::function(2, "seed", move |mut tx| {
            let seeded = Arc::clone(&seeded);
            Box::pin(async move {
                seeded.fetch_add(1, Ordering::SeqCst);
                tx.execute("INSERT INTO notes (id, body) VALUES (1, 'first')")
                    .await?;
                anyhow::Ok(())
            })
        }),
        Migration::sql(3, "index bodies", "CREATE INDEX notes_body ON notes (body)"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_start_applies_nothing() {
    for db in TestDb::each("a_second_start_applies_nothing") {
        let seeded = Arc::new(AtomicUsize::new(0));
        let config = db.config(&["notes"]);
        for run in 0..2 {
            let mut builder = RegistryBuilder::default();
            let probe = DbModule::new("notes", migrations(&seeded)).register(&mut builder);
            TestHost::new(builder)
                .config(config.clone())
                .db(db.options(&config))
                .run_until_ready_then_shut_down()
                .await
                .assert_ok();
            let provider = probe.provider().expect("init got the module's pool");
            assert_eq!(provider.module(), "notes");
            assert_eq!(provider.backend().to_string(), db.label(), "run {run}");
        }
        assert_eq!(
            seeded.load(Ordering::SeqCst),
            1,
            "{}: the seed ran once",
            db.label()
        );
        assert_eq!(db.count("notes", "notes").await, 1, "{}", db.label());
        assert_eq!(db.history("notes").await, [1, 2, 3], "{}", db.label());
        db.clean_up().await;
    }
}
