//! Driving the modules of a [`ModuleRegistry`](crate::ModuleRegistry) through their
//! lifecycle: [`HostRuntime`].

mod dependency_guard;
mod describe;
pub(crate) mod hook;
mod host_runtime;
mod module_handle;
mod module_state;
mod oop;
mod options;
mod owned_tasks;
mod remote_client;
mod report;
mod run;
mod runner;
mod scheduler;
mod system_context;

pub use crate::base::Phase;
pub use describe::{DescribedRoute, DescribedService, HostApi};
pub use hook::{HookPanicked, HookTimedOut};
pub use host_runtime::HostRuntime;
pub use module_state::ModuleState;
pub use oop::OopSpawnOptions;
pub use options::{DEFAULT_CALL_TIMEOUT, HealthOptions, RunMode, RuntimeOptions};
pub use remote_client::RemoteClient;
pub use report::{
    CheckReport, HookInProgress, HookOutcome, HookReport, HostState, ModuleReport, PhaseReport,
    Readiness, RuntimeReport, RuntimeReportHandle, UnreadyModule,
};
pub use runner::{RunOptions, ShutdownOptions, run};
pub use system_context::SystemContext;

// Where these lived before the grpc phase moved to its feature's folder.
#[cfg(feature = "grpc")]
pub use crate::grpc::{GrpcInstaller, GrpcInstallerStore};
pub use crate::phase_table::DbOptions;

pub(crate) use hook::panic_message;
pub(crate) use module_handle::{ModuleHandle, ModuleTable};
#[cfg(feature = "bootstrap")]
pub(crate) use run::ErrorChain;
pub(crate) use run::{PhaseDriver, PhaseDrivers, Run, kernel_drivers};
