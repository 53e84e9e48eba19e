//! The db phase's driver: every module with the `db` capability (or, given a
//! [`DbManager`], a `modules.<name>.database` section) gets its pending migrations applied and
//! its pool, one module at a time, system modules first. Their histories are read first,
//! side by side, so a host with nothing to migrate waits a fraction of what reading them in
//! turn would take.

use std::collections::HashMap;
use std::sync::Arc;

use super::DbManager;
use crate::base::{ModuleId, Phase};
use crate::registry::{CapabilityTag, DatabaseCap, RegistryError};
use crate::runtime::hook::run_hook;
use crate::runtime::{PhaseDriver, Run};

/// Migrates and hands out pools; without a manager, a module with the `db` capability fails
/// the phase.
pub(crate) struct DbPhase {
    manager: Option<Arc<DbManager>>,
}

impl DbPhase {
    /// The driver for a host given `manager`, or no database.
    pub(crate) fn new(manager: Option<Arc<DbManager>>) -> Self {
        Self { manager }
    }

    /// Whether module `m` takes part: it declares `db`, or has a database section.
    fn participates(&self, run: &Run, m: ModuleId) -> bool {
        run.has_capability(m, DatabaseCap::BIT)
            || self
                .manager
                .as_ref()
                .is_some_and(|manager| manager.is_configured(run.module_name(m)))
    }
}

#[async_trait::async_trait]
impl PhaseDriver for DbPhase {
    fn phase(&self) -> Phase {
        Phase::Db
    }

    async fn run(&self, run: &mut Run) -> Result<(), RegistryError> {
        let run = &*run;
        let manager = self.manager.as_deref();
        let cancel = run.cancel_token();
        let mut known = match manager {
            Some(manager) => {
                let names: Vec<&str> = run
                    .in_priority_order()
                    .filter(|&m| self.participates(run, m))
                    .map(|m| run.module_name(m))
                    .collect();
                tokio::select! {
                    histories = manager.read_histories(&names) => histories,
                    () = cancel.cancelled() => return Err(RegistryError::Cancelled { phase: Phase::Db }),
                }
            }
            None => HashMap::new(),
        };
        let phase = run.each_module_in_turn(
            Phase::Db,
            |m| self.participates(run, m),
            |m| {
                let database = run.capability::<DatabaseCap>(m);
                let name = run.module_name(m);
                let ctx = run.module_ctx(m);
                let known = known.remove(name);
                let limits = run.hook_limits(m, Phase::Db);
                run_hook(
                    async move {
                        let migrations = database
                            .map(|database| database.migrations())
                            .unwrap_or_default();
                        let Some(manager) = manager else {
                            anyhow::bail!(
                                "the module has the `db` capability ({} migrations) but the host was given no database (`DbOptions::None`)",
                                migrations.len()
                            );
                        };
                        manager
                            .migrate_from(name, &migrations, known.transpose()?)
                            .await?;
                        ctx.set_db(manager.provider(name)?);
                        Ok(())
                    },
                    limits,
                )
            },
        );
        phase.await
    }

    /// Describing a host skips migrations: every module with a database gets its pool
    /// unmigrated, so an `init` that holds on to it (`ctx.db_required()`) runs as it would
    /// at start-up. Pools connect lazily: nothing is opened unless a hook queries.
    fn prepare_description(&self, run: &Run) -> Result<(), RegistryError> {
        let Some(manager) = &self.manager else {
            return Ok(());
        };
        for m in run.in_priority_order() {
            if !self.participates(run, m) {
                continue;
            }
            let name = run.module_name(m);
            let provider = manager
                .provider(name)
                .map_err(|error| RegistryError::Phase {
                    phase: Phase::Db,
                    module: name.to_owned(),
                    source: error.into(),
                })?;
            run.module_ctx(m).set_db(provider);
        }
        Ok(())
    }
}
