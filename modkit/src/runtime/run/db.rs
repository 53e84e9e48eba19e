//! The db phase: every module with the `db` capability (or, given a [`DbManager`], a
//! `modules.<name>.database` section) gets its pending migrations applied and its pool, one
//! module at a time, system modules first. Their histories are read first, side by side, so
//! a host with nothing to migrate waits a fraction of what reading them in turn would take.
//!
//! [`DbManager`]: crate::db::DbManager

use super::Run;
use crate::registry::RegistryError;

impl Run {
    pub(super) async fn migrate(&mut self) -> Result<(), RegistryError> {
        #[cfg(feature = "db")]
        return self.migrate_databases().await;
        #[cfg(not(feature = "db"))]
        {
            let _ = &self.db_options;
            Ok(())
        }
    }
}

impl Run {
    /// For describing a host: every module with a database gets its pool without a
    /// migration, so an `init` that holds on to it (`ctx.db_required()`) runs as it would at
    /// start-up. Pools connect lazily: nothing is opened unless a hook queries.
    pub(super) fn lend_unmigrated_pools(&self) -> Result<(), RegistryError> {
        #[cfg(feature = "db")]
        if let crate::runtime::DbOptions::Manager(manager) = &self.db_options {
            for m in self.priority.iter().copied() {
                let name = self.name(m);
                if !(self.has(m, super::cap_bits::DATABASE) || manager.is_configured(name)) {
                    continue;
                }
                let provider = manager
                    .provider(name)
                    .map_err(|error| RegistryError::Phase {
                        phase: crate::runtime::Phase::Db,
                        module: name.to_owned(),
                        source: error.into(),
                    })?;
                self.ctx(m).set_db(provider);
            }
        }
        Ok(())
    }
}

#[cfg(feature = "db")]
impl Run {
    async fn migrate_databases(&mut self) -> Result<(), RegistryError> {
        use std::collections::HashMap;
        use std::sync::Arc;

        use super::cap_bits;
        use crate::registry::DatabaseCap;
        use crate::runtime::hook::{HookLimits, run_hook};
        use crate::runtime::{DbOptions, Phase};

        let manager = match &self.db_options {
            DbOptions::Manager(manager) => Some(Arc::clone(manager)),
            DbOptions::None => None,
        };
        let manager = manager.as_deref();
        let cancel = &self.cancel;
        let participates = |m: u32| {
            self.has(m, cap_bits::DATABASE)
                || manager.is_some_and(|manager| manager.is_configured(self.name(m)))
        };
        let mut known = match manager {
            Some(manager) => {
                let names: Vec<&str> = (self.priority.iter().copied())
                    .filter(|&m| participates(m))
                    .map(|m| self.name(m))
                    .collect();
                let reads = manager.read_histories(&names);
                tokio::select! {
                    histories = reads => histories,
                    () = cancel.cancelled() => return Err(RegistryError::Cancelled { phase: Phase::Db }),
                }
            }
            None => HashMap::new(),
        };
        let phase = self.each_module(
            Phase::Db,
            participates,
            1,
            || {},
            |m| {
                let database = self.cap::<DatabaseCap>(m);
                let name = self.name(m);
                let ctx = self.ctx(m);
                let known = known.remove(name);
                let limits = HookLimits {
                    deadline: None,
                    abandon_on: Some(cancel),
                };
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
        phase.await.result
    }
}
