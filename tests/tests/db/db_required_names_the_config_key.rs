//! A module without a database that asks for one learns which config key gives it one;
//! a `db` module on a host with no database fails the db phase.

use std::sync::Arc;

use modkit::registry::RegistryBuilder;
use modkit::{Module, ModuleCtx};
use modkit_tests::{DbModule, TestHost, error_chain, table_migrations};

struct NeedsDb;

#[modkit::async_trait]
impl Module for NeedsDb {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        assert!(ctx.db().is_none());
        ctx.db_required()?;
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn db_required_without_a_database_names_the_key() {
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("reports", &[], Arc::new(NeedsDb));
    let finished = TestHost::new(builder).run_expecting_failure().await;
    let error = error_chain(finished.error());
    assert!(
        error.contains("module `reports` has no database; set `modules.reports.database.dsn`"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_db_module_on_a_host_without_a_database_fails_the_db_phase() {
    let mut builder = RegistryBuilder::default();
    let probe = DbModule::new("ledger", table_migrations(1)).register(&mut builder);
    let finished = TestHost::new(builder).run_expecting_failure().await;
    let error = error_chain(finished.error());
    assert!(
        error.contains("module `ledger` failed in the db phase"),
        "{error}"
    );
    assert!(error.contains("`DbOptions::None`"), "{error}");
    assert_eq!(probe.inits(), 0);
}
