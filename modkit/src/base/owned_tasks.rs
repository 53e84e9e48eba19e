use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::{AbortHandle, JoinHandle};

/// The tasks one module spawned, by name, so that the ones outliving the module's stop
/// can be named before they are aborted.
///
/// Most modules spawn nothing, so the bookkeeping is made on the first spawn: a module
/// that never spawns costs a few bytes in its host's table (see `ModuleTable`).
#[derive(Debug, Default)]
pub(crate) struct OwnedTasks {
    books: OnceLock<Box<Books>>,
    /// `live.tasks.len()`, written under the lock, so that "none left" needs no lock.
    count: AtomicUsize,
}

#[derive(Debug, Default)]
struct Books {
    live: Mutex<LiveTasks>,
    all_done: Notify,
}

#[derive(Debug, Default)]
struct LiveTasks {
    next_id: u64,
    /// Each task's name and, once `tokio::spawn` has returned it, its abort handle.
    tasks: HashMap<u64, (Cow<'static, str>, Option<AbortHandle>)>,
}

impl OwnedTasks {
    /// Spawns `future` on the current tokio runtime as a task owned by this set.
    #[cfg(test)]
    pub(crate) fn spawn<F>(
        self: &std::sync::Arc<Self>,
        name: impl Into<Cow<'static, str>>,
        future: F,
    ) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let owner = std::sync::Arc::clone(self);
        self.spawn_owned(name, future, move |id| owner.finished(id))
    }

    /// Spawns `future` on the current tokio runtime as a task owned by this set; when it
    /// completes, the task calls `finished` with its id, which must reach
    /// [`finished`](Self::finished) of this set (through whatever keeps the set alive).
    pub(crate) fn spawn_owned<F>(
        &self,
        name: impl Into<Cow<'static, str>>,
        future: F,
        finished: impl FnOnce(u64) + Send + 'static,
    ) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // The entry exists before the task does, so the task cannot finish before it is
        // recorded. The lock is not held across the spawn: a future dropped inside
        // `tokio::spawn` (a runtime shutting down) reports itself finished at once.
        let id = {
            let mut live = self.lock();
            let id = live.next_id;
            live.next_id += 1;
            live.tasks.insert(id, (name.into(), None));
            self.count.store(live.tasks.len(), Ordering::Release);
            id
        };
        // The guard reports the task finished however it ends: completed, panicked, or
        // aborted (an aborted task's future is dropped without ever completing).
        let guard = FinishedGuard {
            id,
            finished: Some(finished),
        };
        let handle = tokio::spawn(async move {
            let _guard = guard;
            future.await
        });
        match self.lock().tasks.get_mut(&id) {
            Some((_, abort)) => *abort = Some(handle.abort_handle()),
            // Either the task has already ended (aborting it changes nothing) or `drain`
            // gave up on it in the meantime and it must not run on.
            None => handle.abort(),
        }
        handle
    }

    /// Forgets task `id`, which has completed.
    pub(crate) fn finished(&self, id: u64) {
        let mut live = self.lock();
        live.tasks.remove(&id);
        self.count.store(live.tasks.len(), Ordering::Release);
        if live.tasks.is_empty() {
            self.books().all_done.notify_waiters();
        }
    }

    /// Whether no task is running.
    /// How many are running.
    pub(crate) fn len(&self) -> usize {
        self.count.load(Ordering::Acquire)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count.load(Ordering::Acquire) == 0
    }

    fn books(&self) -> &Books {
        self.books.get_or_init(Box::default)
    }

    fn lock(&self) -> MutexGuard<'_, LiveTasks> {
        // A panic while holding this lock cannot leave the map inconsistent: every
        // critical section is a single insert or remove.
        self.books()
            .live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits up to `grace` for every task to finish; aborts the rest and returns their names.
    pub(crate) async fn drain(&self, grace: Duration) -> Vec<String> {
        if self.is_empty() {
            return Vec::new();
        }
        let deadline = tokio::time::Instant::now() + grace;
        loop {
            let notified = self.books().all_done.notified();
            if self.lock().tasks.is_empty() {
                return Vec::new();
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                break;
            }
        }
        let mut live = self.lock();
        let mut leaked: Vec<String> = live
            .tasks
            .drain()
            .map(|(_, (name, abort))| {
                if let Some(abort) = abort {
                    abort.abort();
                }
                name.into_owned()
            })
            .collect();
        self.count.store(0, Ordering::Release);
        leaked.sort();
        leaked
    }
}

/// Calls its `finished` callback with the task's id when dropped.
struct FinishedGuard<C: FnOnce(u64)> {
    id: u64,
    finished: Option<C>,
}

impl<C: FnOnce(u64)> Drop for FinishedGuard<C> {
    fn drop(&mut self) {
        if let Some(finished) = self.finished.take() {
            finished(self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn tasks_that_finish_are_forgotten() {
        let tasks = Arc::new(OwnedTasks::default());
        tasks.spawn("quick", async {}).await.unwrap();
        assert!(tasks.is_empty());
        assert!(tasks.drain(Duration::from_millis(10)).await.is_empty());
    }

    #[tokio::test]
    async fn an_aborted_task_is_forgotten_at_once() {
        let tasks = Arc::new(OwnedTasks::default());
        let stuck = tasks.spawn("stuck", std::future::pending::<()>());
        stuck.abort();
        assert!(stuck.await.unwrap_err().is_cancelled());
        assert!(
            tasks.is_empty(),
            "the aborted task is still counted as live"
        );
    }

    #[tokio::test]
    async fn a_task_outliving_the_grace_period_is_named_and_aborted() {
        let tasks = Arc::new(OwnedTasks::default());
        let stuck = tasks.spawn("stuck-poller", std::future::pending::<()>());
        tasks.spawn("quick", async {});
        let leaked = tasks.drain(Duration::from_millis(20)).await;
        assert_eq!(leaked, vec!["stuck-poller".to_owned()]);
        assert!(stuck.await.unwrap_err().is_cancelled());
    }
}
