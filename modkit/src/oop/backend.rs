use std::time::Duration;

use super::OopModuleStatus;

/// What the runtime asks of an [`OopBackend`] for one module in the oop spawn phase.
#[derive(Debug, Clone)]
pub struct OopSpawnRequest {
    /// The module to run out of process.
    pub module: String,
    /// Where the host's directory service listens; the child registers there.
    pub directory_endpoint: String,
    /// The module's state in the host's runtime report, for the backend to keep current
    /// (running, restarting, failed).
    pub status: OopModuleStatus,
}

/// Starts, supervises and ends the child processes of out-of-process modules.
///
/// The runtime calls [`spawn`](Self::spawn) for every out-of-process module side by side in
/// the **oop spawn** phase, once the gRPC hub has bound the endpoint the children register
/// with, and [`stop_all`](Self::stop_all) at shutdown or rollback.
///
/// ```
/// use std::time::Duration;
/// use modkit::oop::{OopBackend, OopSpawnRequest};
///
/// /// A backend that runs nothing: every module is "running" at once.
/// struct Nothing;
///
/// #[modkit::async_trait]
/// impl OopBackend for Nothing {
///     async fn spawn(&self, request: OopSpawnRequest) -> anyhow::Result<()> {
///         request.status.running();
///         Ok(())
///     }
///
///     async fn stop_all(&self, _grace: Duration) {}
/// }
/// ```
#[async_trait::async_trait]
pub trait OopBackend: Send + Sync {
    /// Starts the module's child and supervises it from then on. Returns once the child is
    /// running, or once supervision gave up on it (the module is then reported failed and
    /// the host carries on); an error (a binary that cannot be started, a child that does
    /// not come up in time) fails the oop spawn phase.
    async fn spawn(&self, request: OopSpawnRequest) -> anyhow::Result<()>;

    /// Ends every child it started, side by side, each within `grace` (or its module's own
    /// stop timeout) before it is killed.
    async fn stop_all(&self, grace: Duration);
}
