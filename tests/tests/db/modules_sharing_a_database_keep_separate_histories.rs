//! Two modules in one database, both with versions 1 and 2, each get their own history:
//! neither skips the other's versions and neither sees the other's rows.

use modkit::Migration;
use modkit::registry::RegistryBuilder;
use modkit_tests::{DbModule, TestDb, TestHost};

fn migrations(table: &str) -> Vec<Migration> {
    vec![
        Migration::sql(
            1,
            "create",
            format!("CREATE TABLE {table} (id INTEGER PRIMARY KEY)"),
        ),
        Migration::sql(2, "seed", format!("INSERT INTO {table} (id) VALUES (1)")),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_versions_in_one_database_do_not_interfere() {
    for db in TestDb::each("same_versions_in_one_database_do_not_interfere") {
        let db = db.shared();
        let label = db.label();
        let config = db.config(&["orders", "payments"]);
        for _ in 0..2 {
            let mut builder = RegistryBuilder::default();
            let orders = DbModule::new("orders", migrations("orders")).register(&mut builder);
            let payments = DbModule::new("payments", migrations("payments")).register(&mut builder);
            TestHost::new(builder)
                .config(config.clone())
                .db(db.options(&config))
                .run_until_ready_then_shut_down()
                .await
                .assert_ok();
            assert_eq!(orders.provider().unwrap().module(), "orders");
            assert_eq!(payments.provider().unwrap().module(), "payments");
        }
        assert_eq!(db.history("orders").await, [1, 2], "{label}");
        assert_eq!(db.history("payments").await, [1, 2], "{label}");
        assert_eq!(db.count("orders", "orders").await, 1, "{label}");
        assert_eq!(db.count("payments", "payments").await, 1, "{label}");
        assert_eq!(
            db.count("orders", "modkit_migrations").await,
            4,
            "{label}: one history table"
        );
        db.clean_up().await;
    }
}
