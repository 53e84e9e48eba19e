use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::ReadySignal;

/// When a [`Runnable`] module counts as started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadyMode {
    /// As soon as its task is spawned.
    Immediate,
    /// When its task calls [`ReadySignal::notify`] (`await_ready`).
    AwaitSignal,
}

/// How a [`Runnable`] module is started and stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LifecycleOptions {
    /// How long stop waits for the task after cancelling it.
    pub stop_timeout: Duration,
    /// When start returns.
    pub ready: ReadyMode,
}

impl LifecycleOptions {
    /// The default: 30 s to stop, ready as soon as spawned.
    pub const DEFAULT: Self = Self::new(Duration::from_secs(30), ReadyMode::Immediate);

    /// Options with the given stop timeout and ready mode.
    pub const fn new(stop_timeout: Duration, ready: ReadyMode) -> Self {
        Self {
            stop_timeout,
            ready,
        }
    }
}

impl Default for LifecycleOptions {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The future a [`Runnable`] task runs.
pub type RunFuture = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'static>>;

/// A module whose work is one long-running task; implemented by
/// [`#[modkit::lifecycle]`](macro@crate::lifecycle).
///
/// Implement it by hand only when the macro does not fit; the registry wraps it in
/// [`WithLifecycle`](super::WithLifecycle) to get a [`RunnableCapability`](crate::RunnableCapability).
pub trait Runnable: Send + Sync + 'static {
    /// Stop timeout and ready mode.
    const OPTIONS: LifecycleOptions;

    /// Runs the module's task until `cancel` fires. With [`ReadyMode::AwaitSignal`] the task
    /// calls `ready.notify()` once it serves.
    fn launch(self: Arc<Self>, cancel: CancellationToken, ready: ReadySignal) -> RunFuture;
}
