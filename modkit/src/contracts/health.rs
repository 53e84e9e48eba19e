pub use crate::base::Health;
use crate::context::ModuleCtx;

/// A module that can tell whether it works: its database answers, its upstream is
/// reachable, its queue is not backed up.
///
/// # Lifecycle
/// Once start-up has finished, the host calls `check` on every module with the `health`
/// capability right away and then every `runtime.health.interval` (default 10 s), until
/// shutdown begins. A check that has not answered within `runtime.health.timeout`
/// (default 2 s), or that panics, counts as [`Health::Down`]. The last result and its age
/// show in `/healthz`; a module that is down (and required for readiness) makes `/readyz`
/// answer 503.
///
/// # Example
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use modkit::{Health, HealthCapability, Module, ModuleCtx};
///
/// #[derive(Default)]
/// #[modkit::module(name = "feed", capabilities = [health])]
/// struct Feed {
///     connected: AtomicBool,
/// }
///
/// #[modkit::async_trait]
/// impl Module for Feed {
///     async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
///         Ok(())
///     }
/// }
///
/// #[modkit::async_trait]
/// impl HealthCapability for Feed {
///     async fn check(&self, _ctx: &ModuleCtx) -> Health {
///         if self.connected.load(Ordering::Relaxed) {
///             Health::Up
///         } else {
///             Health::Down("not connected to the feed".to_owned())
///         }
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` declares the `health` capability but does not implement `HealthCapability`",
    label = "`health` needs `impl HealthCapability`",
    note = "implement `modkit::HealthCapability` with `async fn check(&self, ctx: &ModuleCtx) -> Health`"
)]
#[async_trait::async_trait]
pub trait HealthCapability: Send + Sync {
    /// Whether the module works right now. Keep it quick: it runs on the host's runtime,
    /// and a check past `runtime.health.timeout` counts as down.
    async fn check(&self, ctx: &ModuleCtx) -> Health;
}
