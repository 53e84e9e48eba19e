//! Long-running module work, written as one `async fn` instead of a hand-made
//! [`RunnableCapability`](crate::RunnableCapability).
//!
//! [`#[modkit::lifecycle]`](macro@crate::lifecycle) on an impl block (or `lifecycle(...)`
//! inside `#[modkit::module]`) implements [`Runnable`] for the module; the registry then wraps
//! it in [`WithLifecycle`], which is the module's `RunnableCapability`:
//!
//! * **start** spawns the method as a task owned by the module and, with `await_ready`,
//!   returns only once the method calls [`ReadySignal::notify`] (or fails start-up if the
//!   method returns first);
//! * a task that fails after start-up marks its module *failed* in the runtime report;
//! * **stop** cancels the task's token and waits for it, up to `stop_timeout`.
//!
//! ```
//! use modkit::{CancellationToken, ReadySignal};
//!
//! #[derive(Default)]
//! #[modkit::module(name = "heartbeat", capabilities = [stateful])]
//! pub struct Heartbeat;
//!
//! #[modkit::async_trait]
//! impl modkit::Module for Heartbeat {
//!     async fn init(&self, _ctx: &modkit::ModuleCtx) -> anyhow::Result<()> {
//!         Ok(())
//!     }
//! }
//!
//! #[modkit::lifecycle(method = "run", stop_timeout = "5s", await_ready)]
//! impl Heartbeat {
//!     async fn run(&self, cancel: CancellationToken, ready: ReadySignal) -> anyhow::Result<()> {
//!         ready.notify();
//!         cancel.cancelled().await;
//!         Ok(())
//!     }
//! }
//! ```

mod ready;
mod runnable;
mod with_lifecycle;

pub use ready::ReadySignal;
pub use runnable::{LifecycleOptions, ReadyMode, RunFuture, Runnable};
pub use with_lifecycle::WithLifecycle;
