//! Phase drivers: the work of one start-up phase, as one value in the host's phase table.
//!
//! The runtime knows no REST, database or gRPC type. It walks the phases of its
//! [`RunMode`](crate::runtime::RunMode) in order and, for each, runs the drivers of that
//! phase in table order; each feature brings its own driver (`db::phase`, `rest::phase`,
//! `grpc::phase`, `oop::spawn_phase`), and the kernel's own hooks (pre_init, init,
//! post_init, start) are drivers too. `crate::phase_table` lays the table out.
//!
//! A driver reaches the modules through [`Run`]'s driver seam (`run/seam.rs`): names,
//! contexts, capabilities, hook recording, cancellation.

use std::sync::Arc;

use super::Run;
use crate::base::Phase;
use crate::registry::RegistryError;
use crate::runtime::HostApi;

/// The work one phase does.
#[async_trait::async_trait]
pub(crate) trait PhaseDriver: Send + Sync {
    /// The phase the driver runs in.
    fn phase(&self) -> Phase;

    /// Checked once, before any phase of the run, when the run includes the driver's
    /// phase: a misfit found here fails start-up before any module's hook runs.
    fn check(&self, _run: &Run) -> Result<(), RegistryError> {
        Ok(())
    }

    /// Does the phase's work.
    async fn run(&self, run: &mut Run) -> Result<(), RegistryError>;

    /// Before describing a host (which skips some phases): lend the modules what their
    /// hooks expect from a skipped phase.
    fn prepare_description(&self, _run: &Run) -> Result<(), RegistryError> {
        Ok(())
    }

    /// Adds what the phase registered to a host's description.
    fn describe(&self, _run: &Run, _api: &mut HostApi) {}
}

/// A host's phase table: every driver, in the order their phases run.
pub(crate) type PhaseDrivers = Arc<[Arc<dyn PhaseDriver>]>;
