use std::borrow::Cow;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock, OnceLock};

use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::module_state::{ModuleState, StateCell};
use super::owned_tasks::OwnedTasks;

tokio::task_local! {
    static CURRENT_MODULE: ModuleHandle;
}

/// The runtime state of every module of one host, in one allocation.
///
/// A host of 10,000 modules made one heap block per module for this (and another for its
/// token) that lived as long as the host; allocating and freeing them was the largest
/// single cost of running no-op modules (see `benches/lifecycle.rs`). One array of cells
/// costs one allocation whatever the number of modules.
#[derive(Debug)]
pub(crate) struct ModuleTable {
    /// What a module's token is a child of, if anything.
    parent: Option<CancellationToken>,
    cells: Box<[ModuleCell]>,
    /// Tasks that failed after start-up, for the runtime's supervisor to restart the
    /// modules configured for it.
    task_failures: TaskFailures,
}

/// The failures of modules' tasks after start-up, in the order they happened.
#[derive(Debug, Default)]
pub(crate) struct TaskFailures {
    /// `(module position, what went wrong)`, not yet taken.
    queue: std::sync::Mutex<Vec<(u32, String)>>,
    /// Woken at each failure; a permit is kept when no one waits yet, so none is missed.
    signal: Notify,
}

impl TaskFailures {
    fn push(&self, module: u32, error: String) {
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((module, error));
        self.signal.notify_one();
    }

    /// Waits for at least one failure and takes every one reported so far.
    pub(crate) async fn next(&self) -> Vec<(u32, String)> {
        loop {
            let taken = std::mem::take(
                &mut *self
                    .queue
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            if !taken.is_empty() {
                return taken;
            }
            self.signal.notified().await;
        }
    }
}

/// One module's state.
#[derive(Debug)]
struct ModuleCell {
    name: &'static str,
    state: StateCell,
    tasks: OwnedTasks,
    /// How many times its child (out of process) was restarted.
    restarts: AtomicU32,
    /// Made when first asked for, or marked stopped when the module stops first: most
    /// modules never look at their token, and a token is a heap block and a lock.
    cancel: OnceLock<ModuleToken>,
}

#[derive(Debug)]
enum ModuleToken {
    Live(CancellationToken),
    /// The module stopped before anyone asked for its token.
    Stopped,
}

/// The token of every module that stopped before anyone asked for its own: already
/// cancelled, so it tells whoever asks later what their own would have told them.
fn stopped_token() -> &'static CancellationToken {
    static STOPPED: LazyLock<CancellationToken> = LazyLock::new(|| {
        let token = CancellationToken::new();
        token.cancel();
        token
    });
    &STOPPED
}

impl ModuleTable {
    /// A table of the modules `names`, in that order (a module's position is its index).
    /// Each module's token is a child of `parent` if given, else a token of its own.
    pub(crate) fn new(
        names: impl IntoIterator<Item = &'static str>,
        parent: Option<CancellationToken>,
    ) -> Arc<Self> {
        Arc::new(Self {
            parent,
            task_failures: TaskFailures::default(),
            cells: names
                .into_iter()
                .map(|name| ModuleCell {
                    name,
                    state: StateCell::new(ModuleState::Starting),
                    tasks: OwnedTasks::default(),
                    restarts: AtomicU32::new(0),
                    cancel: OnceLock::new(),
                })
                .collect(),
        })
    }

    /// The number of modules.
    pub(crate) fn len(&self) -> usize {
        self.cells.len()
    }

    /// Each module's name and current state, by position.
    pub(crate) fn states(&self) -> impl Iterator<Item = (&'static str, ModuleState)> + '_ {
        self.cells.iter().map(|cell| (cell.name, cell.state.get()))
    }

    /// Each module's running tasks and restarts so far, by position.
    pub(crate) fn activity(&self) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.cells
            .iter()
            .map(|cell| (cell.tasks.len(), cell.restarts.load(Ordering::Relaxed)))
    }

    /// The handle of the module at `index`, or `None` past the end.
    pub(crate) fn handle(self: &Arc<Self>, index: usize) -> Option<ModuleHandle> {
        (index < self.cells.len()).then(|| ModuleHandle {
            table: Arc::clone(self),
            index: u32::try_from(index).unwrap_or(u32::MAX),
        })
    }
}

/// The runtime's per-module state: what the module owns and where it is in its life.
///
/// Shared by the module's [`ModuleCtx`](crate::ModuleCtx), the runtime and the module's own
/// tasks; hooks run with it as the task-local "current module" so that code reached from a
/// hook (such as [`WithLifecycle`](crate::lifecycle::WithLifecycle)) can spawn owned tasks.
/// Cheap to clone: one reference count for the whole host's [`ModuleTable`].
#[derive(Debug, Clone)]
pub(crate) struct ModuleHandle {
    table: Arc<ModuleTable>,
    /// Below `table.cells.len()`, checked when made.
    index: u32,
}

impl ModuleHandle {
    /// A module in a table of its own, outside any host's run.
    pub(crate) fn detached(name: &'static str, parent: Option<CancellationToken>) -> Self {
        let table = ModuleTable::new([name], parent);
        Self { table, index: 0 }
    }

    fn cell(&self) -> &ModuleCell {
        &self.table.cells[self.index as usize]
    }

    /// Its position in its table.
    #[cfg_attr(
        not(feature = "db"),
        expect(
            dead_code,
            reason = "the db feature keeps each module's pool by position"
        )
    )]
    pub(crate) fn index(&self) -> usize {
        self.index as usize
    }

    pub(crate) fn name(&self) -> &'static str {
        self.cell().name
    }

    pub(crate) fn state(&self) -> ModuleState {
        self.cell().state.get()
    }

    pub(crate) fn set_state(&self, state: ModuleState) {
        self.cell().state.set(state);
    }

    /// Marks the module ready unless something already failed it.
    pub(crate) fn become_ready(&self) {
        self.cell().state.become_ready();
    }

    /// Moves to `to` if the module is in one of the states `from` (out-of-process
    /// supervision: running, restarting, given up).
    pub(crate) fn transition(&self, from: &[ModuleState], to: ModuleState) {
        self.cell().state.transition(from, to);
    }

    /// Counts a restart of the module's child.
    pub(crate) fn restarted(&self) {
        self.cell().restarts.fetch_add(1, Ordering::Relaxed);
    }

    /// Records that one of the module's tasks died while the module was meant to be serving.
    pub(crate) fn task_failed(&self, task: &str, error: &dyn std::fmt::Display) {
        self.cell().state.fail_if_running();
        tracing::error!(module = self.name(), task, error = %error, "module task failed");
        self.table.task_failures.push(self.index, error.to_string());
    }

    /// Tells the runtime why the module failed, when something other than its own task
    /// failed it (an out-of-process child's supervisor giving up, say): the runtime report
    /// keeps it as the module's last failure.
    pub(crate) fn record_failure(&self, reason: String) {
        self.table.task_failures.push(self.index, reason);
    }

    /// The task failures of every module of this handle's table.
    pub(crate) fn task_failures(&self) -> &TaskFailures {
        &self.table.task_failures
    }

    /// The module's own token, cancelled when the module stops.
    pub(crate) fn cancellation_token(&self) -> &CancellationToken {
        let token = self.cell().cancel.get_or_init(|| {
            ModuleToken::Live(match &self.table.parent {
                Some(parent) => parent.child_token(),
                None => CancellationToken::new(),
            })
        });
        match token {
            ModuleToken::Live(token) => token,
            ModuleToken::Stopped => stopped_token(),
        }
    }

    /// Fires the module's token (without making one if nobody has asked for it yet).
    pub(crate) fn cancel(&self) {
        if let ModuleToken::Live(token) = self.cell().cancel.get_or_init(|| ModuleToken::Stopped) {
            token.cancel();
        }
    }

    pub(crate) fn tasks(&self) -> &OwnedTasks {
        &self.cell().tasks
    }

    /// Spawns a task owned by this module; it keeps the handle alive until it completes.
    pub(crate) fn spawn<F>(
        &self,
        name: impl Into<Cow<'static, str>>,
        future: F,
    ) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let owner = self.clone();
        self.tasks()
            .spawn_owned(name, future, move |id| owner.tasks().finished(id))
    }

    /// Runs `future` with this module as the current one.
    pub(crate) fn scope<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        CURRENT_MODULE.scope(self.clone(), future)
    }

    /// The module whose hook is running on this task, if any.
    pub(crate) fn current() -> Option<Self> {
        CURRENT_MODULE.try_with(Self::clone).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_asked_for_before_the_stop_fires_at_the_stop() {
        let handle = ModuleHandle::detached("users", None);
        let token = handle.cancellation_token().clone();
        assert!(!token.is_cancelled());
        handle.cancel();
        assert!(token.is_cancelled());
        assert!(handle.cancellation_token().is_cancelled());
    }

    #[test]
    fn a_token_asked_for_after_the_stop_is_already_cancelled() {
        let handle = ModuleHandle::detached("users", None);
        handle.cancel();
        assert!(handle.cancellation_token().is_cancelled());
    }

    #[test]
    fn a_module_token_with_a_parent_fires_with_it() {
        let parent = CancellationToken::new();
        let table = ModuleTable::new(["a", "b"], Some(parent.clone()));
        let b = table.handle(1).expect("two modules");
        assert_eq!((b.name(), b.index()), ("b", 1));
        assert!(table.handle(2).is_none());
        let token = b.cancellation_token().clone();
        parent.cancel();
        assert!(token.is_cancelled());
    }

    #[test]
    fn handles_of_one_table_share_its_states() {
        let table = ModuleTable::new(["a", "b"], None);
        let a = table.handle(0).expect("two modules");
        a.set_state(ModuleState::Ready);
        let states: Vec<_> = table.states().collect();
        assert_eq!(
            states,
            vec![("a", ModuleState::Ready), ("b", ModuleState::Starting)]
        );
    }
}
