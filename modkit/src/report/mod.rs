//! What start-up and shutdown did: per-phase and per-module durations and outcomes, the
//! critical path, and each module's live state.

mod critical_path;
mod handle;
mod state;
mod table;
mod types;

pub(crate) use critical_path::critical_path;
pub use handle::RuntimeReportHandle;
pub(crate) use table::StartupTable;
pub use types::{
    CheckReport, HookInProgress, HookOutcome, HookReport, HostState, ModuleReport, PhaseReport,
    Readiness, RuntimeReport, UnreadyModule,
};
