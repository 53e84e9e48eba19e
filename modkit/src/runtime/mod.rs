//! Driving the modules of a [`ModuleRegistry`](crate::ModuleRegistry) through their
//! lifecycle: [`HostRuntime`].

mod dependency_guard;
mod describe;
pub(crate) mod hook;
mod host_runtime;
mod oop;
mod options;
mod remote_client;
pub(crate) mod restart;
mod run;
mod runner;
mod scheduler;

pub use crate::base::ModuleState;
pub use crate::base::Phase;
pub use crate::context::SystemContext;
pub use crate::report::{
    CheckReport, HookInProgress, HookOutcome, HookReport, HostState, ModuleReport, PhaseReport,
    Readiness, RuntimeReport, RuntimeReportHandle, UnreadyModule,
};
pub use describe::{DescribedRoute, DescribedService, HostApi};
pub use hook::{HookPanicked, HookTimedOut};
pub use host_runtime::HostRuntime;
pub use oop::OopSpawnOptions;
pub use options::{DEFAULT_CALL_TIMEOUT, HealthOptions, RunMode, RuntimeOptions};
pub use remote_client::RemoteClient;
pub use restart::{RestartPolicy, RestartSettings};
pub use runner::{RunOptions, ShutdownOptions, run};

// Where these lived before the grpc phase moved to its feature's folder.
#[cfg(feature = "grpc")]
pub use crate::grpc::{GrpcInstaller, GrpcInstallerStore};
pub use crate::phase_table::DbOptions;

pub(crate) use crate::base::ModuleHandle;
#[cfg(feature = "bootstrap")]
pub(crate) use run::ErrorChain;
pub(crate) use run::{PhaseDriver, PhaseDrivers, Run, kernel_drivers};
