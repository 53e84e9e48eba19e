//! The phase table: which driver does each start-up phase's work, in the order the phases
//! run. The runtime walks it and knows no feature; each feature that has work in a phase
//! adds its driver here, behind its flag. This file, the feature folders and the
//! re-exports are the only places a feature flag reaches the kernel's story.
//!
//! | phase | driver | feature |
//! |---|---|---|
//! | pre_init | [`PreInit`](crate::runtime::kernel_drivers::PreInit) | |
//! | db | `db::DbPhase` | `db` |
//! | init | [`Init`](crate::runtime::kernel_drivers::Init) | |
//! | post_init | [`PostInit`](crate::runtime::kernel_drivers::PostInit) | |
//! | rest | `rest::RestPhase` | `rest` |
//! | grpc | `grpc::GrpcPhase` | `grpc` |
//! | start | [`Start`](crate::runtime::kernel_drivers::Start) | |
//! | oop_spawn | `oop::OopSpawnPhase` | |
//!
//! Stop is shutdown's, not a start-up phase: it undoes what start-up did, in reverse.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::client_hub::ClientHub;
use crate::config::ConfigProvider;
use crate::registry::ModuleRegistry;
use crate::runtime::kernel_drivers::{Init, PostInit, PreInit, Start};
use crate::runtime::{
    HostRuntime, OopSpawnOptions, PhaseDriver, PhaseDrivers, RuntimeOptions, RuntimeReportHandle,
};

/// How the runtime reaches the modules' databases.
///
/// With the `db` feature:
///
#[cfg_attr(feature = "db", doc = "```")]
#[cfg_attr(not(feature = "db"), doc = "```ignore")]
/// use std::sync::Arc;
/// use modkit::DbOptions;
/// use modkit::config::ModulesConfig;
/// use modkit::db::{DbManager, DbSettings};
///
/// let modules = Arc::new(ModulesConfig::empty());
/// let options = DbOptions::Manager(Arc::new(DbManager::new(DbSettings::new("/var/lib/app"), modules)));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum DbOptions {
    /// The host has no database: a module with the `db` capability fails the db phase.
    #[default]
    None,
    /// Modules' databases come from this manager: the db phase migrates every module with
    /// the `db` capability or a `modules.<name>.database` section, and hands each its
    /// pool ([`ModuleCtx::db`](crate::ModuleCtx::db)).
    #[cfg(feature = "db")]
    Manager(Arc<crate::db::DbManager>),
}

/// Every phase's drivers, in order.
fn drivers(db: DbOptions) -> PhaseDrivers {
    let mut drivers: Vec<Arc<dyn PhaseDriver>> = vec![Arc::new(PreInit)];
    #[cfg(feature = "db")]
    drivers.push(Arc::new(crate::db::DbPhase::new(match db {
        DbOptions::Manager(manager) => Some(manager),
        DbOptions::None => None,
    })));
    #[cfg(not(feature = "db"))]
    let DbOptions::None = db;
    drivers.push(Arc::new(Init));
    drivers.push(Arc::new(PostInit));
    #[cfg(feature = "rest")]
    drivers.push(Arc::new(crate::rest::RestPhase));
    #[cfg(feature = "grpc")]
    drivers.push(Arc::new(crate::grpc::GrpcPhase));
    drivers.push(Arc::new(Start));
    drivers.push(Arc::new(crate::oop::OopSpawnPhase));
    drivers.into()
}

impl HostRuntime {
    /// A runtime for `registry`. `cancel` ends the host: cancelled during start-up it
    /// rolls start-up back; cancelled afterwards it begins the stop phase.
    pub fn new(
        registry: ModuleRegistry,
        modules_cfg: Arc<dyn ConfigProvider>,
        db_options: DbOptions,
        client_hub: Arc<ClientHub>,
        cancel: CancellationToken,
        instance_id: Uuid,
        oop_options: Option<OopSpawnOptions>,
    ) -> Self {
        Self {
            registry,
            config: modules_cfg,
            drivers: drivers(db_options),
            client_hub,
            cancel,
            instance_id,
            oop: oop_options,
            options: RuntimeOptions::default(),
            report: RuntimeReportHandle::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::Phase;

    #[test]
    fn the_table_runs_each_phase_in_start_up_order() {
        let phases: Vec<Phase> = drivers(DbOptions::None)
            .iter()
            .map(|driver| driver.phase())
            .collect();
        let mut in_order = phases.clone();
        in_order.sort_by_key(|phase| Phase::STARTUP.iter().position(|p| p == phase));
        assert_eq!(phases, in_order);
        assert!(!phases.contains(&Phase::Stop), "stop is shutdown's");
    }
}
