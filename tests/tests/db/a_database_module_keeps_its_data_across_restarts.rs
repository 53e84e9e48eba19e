//! A module declared with `#[modkit::module(capabilities = [db])]` gets its pool from
//! `ctx.db_required()` in `init`; with no `database` section it is an SQLite file under the
//! home dir, so what it wrote is there after the host restarts.
//!
//! The module is registered as discovery registers it (`register_module` is what
//! `#[modkit::module]` submits), without the other modules linked into this binary.

use std::sync::Mutex;

use modkit::db::sqlx;
use modkit::registry::{RegistryBuilder, register_module};
use modkit::{DatabaseCapability, Migration, Module, ModuleCtx};
use modkit_tests::{TempHome, TestHost};

/// What each `init` counted, in order.
static VISITS_SEEN: Mutex<Vec<i64>> = Mutex::new(Vec::new());

#[derive(Debug, Default)]
#[modkit::module(name = "visits", capabilities = [db])]
struct Visits;

impl DatabaseCapability for Visits {
    fn migrations(&self) -> Vec<Migration> {
        vec![Migration::sql(
            1,
            "create visits",
            "CREATE TABLE visits (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        )]
    }
}

#[modkit::async_trait]
impl Module for Visits {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        let pool = ctx.db_required()?.sqlite()?.clone();
        sqlx::query("INSERT INTO visits DEFAULT VALUES")
            .execute(&pool)
            .await?;
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM visits")
            .fetch_one(&pool)
            .await?;
        VISITS_SEEN.lock().unwrap().push(count);
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_written_in_init_survives_a_restart() {
    let home = TempHome::new();
    for _ in 0..3 {
        let mut builder = RegistryBuilder::default();
        register_module::<Visits>(&mut builder);
        let config = modkit::config::ModulesConfig::empty();
        TestHost::new(builder)
            .db(home.manager(&config))
            .run_until_ready_then_shut_down()
            .await
            .assert_ok();
    }
    assert_eq!(*VISITS_SEEN.lock().unwrap(), [1, 2, 3]);
    assert!(home.path().join("db").join("visits.sqlite").exists());
}
