use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::module_state::{ModuleState, StateCell};
use super::owned_tasks::OwnedTasks;

tokio::task_local! {
    static CURRENT_MODULE: Arc<ModuleHandle>;
}

/// The runtime's per-module state: what the module owns and where it is in its life.
///
/// Shared by the module's [`ModuleCtx`](crate::ModuleCtx), the runtime and the module's own
/// tasks; hooks run with it as the task-local "current module" so that code reached from a
/// hook (such as [`WithLifecycle`](crate::lifecycle::WithLifecycle)) can spawn owned tasks.
#[derive(Debug)]
pub(crate) struct ModuleHandle {
    name: &'static str,
    state: StateCell,
    tasks: OwnedTasks,
    cancel: CancellationToken,
}

impl ModuleHandle {
    pub(crate) fn new(name: &'static str, cancel: CancellationToken) -> Arc<Self> {
        Arc::new(Self {
            name,
            state: StateCell::new(ModuleState::Starting),
            tasks: OwnedTasks::default(),
            cancel,
        })
    }

    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    pub(crate) fn state(&self) -> ModuleState {
        self.state.get()
    }

    pub(crate) fn set_state(&self, state: ModuleState) {
        self.state.set(state);
    }

    /// Marks the module ready unless something already failed it.
    pub(crate) fn become_ready(&self) {
        self.state.become_ready();
    }

    /// Moves to `to` if the module is in one of the states `from` (out-of-process
    /// supervision: running, restarting, given up).
    pub(crate) fn transition(&self, from: &[ModuleState], to: ModuleState) {
        self.state.transition(from, to);
    }

    /// Records that one of the module's tasks died while the module was meant to be serving.
    pub(crate) fn task_failed(&self, task: &str, error: &dyn std::fmt::Display) {
        self.state.fail_if_running();
        tracing::error!(module = self.name, task, error = %error, "module task failed");
    }

    /// The module's own token: a child of the host's, cancelled when the module stops.
    pub(crate) fn cancellation_token(&self) -> &CancellationToken {
        &self.cancel
    }

    pub(crate) fn tasks(&self) -> &OwnedTasks {
        &self.tasks
    }

    /// Spawns a task owned by this module; it keeps the handle alive until it completes.
    pub(crate) fn spawn<F>(
        self: &Arc<Self>,
        name: impl Into<Cow<'static, str>>,
        future: F,
    ) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let owner = Arc::clone(self);
        self.tasks
            .spawn_owned(name, future, move |id| owner.tasks.finished(id))
    }

    /// Runs `future` with this module as the current one.
    pub(crate) fn scope<F: Future>(self: &Arc<Self>, future: F) -> impl Future<Output = F::Output> {
        CURRENT_MODULE.scope(Arc::clone(self), future)
    }

    /// The module whose hook is running on this task, if any.
    pub(crate) fn current() -> Option<Arc<Self>> {
        CURRENT_MODULE.try_with(Arc::clone).ok()
    }
}
