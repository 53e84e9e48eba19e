use crate::context::SystemContext;

/// Hooks for the framework's own modules (the REST host, the gRPC hub, ...).
///
/// A module with the `system` capability is ordered as early as its dependencies allow and
/// receives the [`SystemContext`], which ordinary modules never see.
///
/// # Lifecycle
/// `pre_init` runs in the **pre_init** phase, before any migration or `init`;
/// `post_init` runs in the **post_init** phase, which begins only after every module's `init`
/// has returned. Both default to doing nothing.
///
/// # Example
/// ```
/// use modkit::{SystemCapability, SystemContext};
///
/// struct Auditor;
///
/// #[modkit::async_trait]
/// impl SystemCapability for Auditor {
///     async fn post_init(&self, sys: &SystemContext) -> anyhow::Result<()> {
///         tracing::info!(instance = %sys.instance_id(), "every module is initialised");
///         Ok(())
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` declares the `system` capability but does not implement `SystemCapability`",
    label = "`system` needs `impl SystemCapability`",
    note = "both hooks have defaults: `#[modkit::async_trait] impl modkit::SystemCapability for {Self} {{}}` is enough"
)]
#[async_trait::async_trait]
pub trait SystemCapability: Send + Sync {
    /// Runs before any module is initialised.
    fn pre_init(&self, _sys: &SystemContext) -> anyhow::Result<()> {
        Ok(())
    }

    /// Runs after every module is initialised.
    async fn post_init(&self, _sys: &SystemContext) -> anyhow::Result<()> {
        Ok(())
    }
}
