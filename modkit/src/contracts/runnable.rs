use tokio_util::sync::CancellationToken;

/// A module with work that runs between start-up and shutdown (a server, a poller, ...).
///
/// Most modules get this trait from [`#[modkit::lifecycle]`](macro@crate::lifecycle) instead of
/// implementing it by hand.
///
/// # Lifecycle
/// * `start` runs in the **start** phase, after every module it depends on has started.
///   It must return once the module is *ready* (spawn long-running work, do not run it
///   inline). `cancel` fires when the host shuts down or start-up is rolled back; a start
///   still running past its deadline (`runtime.start_timeout`) fails start-up.
/// * `stop` runs in the **stop** phase, in the reverse of the order in which modules
///   started, and also when a later phase fails (rollback). Its `cancel` token is *not yet
///   cancelled*: it fires when the module's stop deadline passes, so the module can drain
///   gracefully until then.
///
/// # Example
/// ```
/// use modkit::RunnableCapability;
/// use modkit::CancellationToken;
///
/// struct Beacon;
///
/// #[modkit::async_trait]
/// impl RunnableCapability for Beacon {
///     async fn start(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
///         Ok(())
///     }
///     async fn stop(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
///         Ok(())
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` declares the `stateful` capability but does not implement `RunnableCapability`",
    label = "`stateful` needs `start` and `stop`",
    note = "implement `modkit::RunnableCapability`, or put `#[modkit::lifecycle]` on an impl block with `async fn run(&self, cancel: CancellationToken)`"
)]
#[async_trait::async_trait]
pub trait RunnableCapability: Send + Sync {
    /// Brings the module up; returns once it is ready.
    async fn start(&self, cancel: CancellationToken) -> anyhow::Result<()>;

    /// Brings the module down; should finish before `cancel` fires.
    async fn stop(&self, cancel: CancellationToken) -> anyhow::Result<()>;
}
