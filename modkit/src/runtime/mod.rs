//! Driving the modules of a [`ModuleRegistry`](crate::ModuleRegistry) through their
//! lifecycle: [`HostRuntime`].

mod dependency_guard;
mod describe;
mod hook;
mod host_runtime;
mod module_handle;
mod module_state;
mod oop;
mod options;
mod owned_tasks;
mod phase;
mod remote_client;
mod report;
mod run;
mod runner;
mod scheduler;
mod system_context;

#[cfg(feature = "grpc")]
mod grpc_installers;

pub use describe::{DescribedRoute, DescribedService, HostApi};
pub use hook::{HookPanicked, HookTimedOut};
pub use host_runtime::HostRuntime;
pub use module_state::ModuleState;
pub use oop::OopSpawnOptions;
pub use options::{DEFAULT_CALL_TIMEOUT, DbOptions, RunMode, RuntimeOptions};
pub use phase::Phase;
pub use remote_client::RemoteClient;
pub use report::{
    HookOutcome, HookReport, HostState, ModuleReport, PhaseReport, RuntimeReport,
    RuntimeReportHandle,
};
pub use runner::{RunOptions, ShutdownOptions, run};
pub use system_context::SystemContext;

#[cfg(feature = "grpc")]
pub use grpc_installers::{GrpcInstaller, GrpcInstallerStore};

pub(crate) use hook::panic_message;
pub(crate) use module_handle::{ModuleHandle, ModuleTable};
#[cfg(feature = "bootstrap")]
pub(crate) use run::ErrorChain;
