use crate::context::ModuleCtx;

/// The one trait every module implements.
///
/// `init` is where a module reads its configuration, wires its state and publishes its
/// clients into the [`ClientHub`](crate::ClientHub). It runs once per host, after the `init`
/// of every module it depends on has returned.
///
/// # Lifecycle
/// Called in the **init** phase, in dependency order (system modules as early as their
/// dependencies allow). An error, a panic or a cancelled host fails start-up with a
/// [`RegistryError::Phase`](crate::RegistryError::Phase) naming the module.
///
/// # Example
/// ```
/// use modkit::{Module, ModuleCtx};
///
/// #[derive(Default)]
/// struct Greeter;
///
/// #[modkit::async_trait]
/// impl Module for Greeter {
///     async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
///         tracing::info!(module = ctx.module_name(), "ready to greet");
///         Ok(())
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a module but does not implement `Module`",
    label = "every `#[modkit::module]` struct needs `impl Module` (its `init`)",
    note = "add `#[modkit::async_trait] impl modkit::Module for {Self} {{ async fn init(&self, ctx: &modkit::ModuleCtx) -> anyhow::Result<()> {{ Ok(()) }} }}`"
)]
#[async_trait::async_trait]
pub trait Module: Send + Sync + 'static {
    /// Prepares the module; see the trait docs for when it runs.
    // The comment on the next line is for users: rustc quotes this line when an impl
    // forgets `#[modkit::async_trait]` (E0195, where no diagnostic attribute applies).
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()>; // the impl needs #[modkit::async_trait]
}
