use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::{AbortHandle, JoinHandle};

/// The tasks one module spawned, by name, so that the ones outliving the module's stop
/// can be named before they are aborted.
#[derive(Debug, Default)]
pub(crate) struct OwnedTasks {
    live: Mutex<LiveTasks>,
    /// `live.tasks.len()`, written under the lock, so that "none left" needs no lock.
    count: AtomicUsize,
    all_done: Notify,
}

#[derive(Debug, Default)]
struct LiveTasks {
    next_id: u64,
    tasks: HashMap<u64, (Cow<'static, str>, AbortHandle)>,
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
        // Holding the lock across the spawn keeps the task from removing its entry before
        // the entry exists.
        let mut live = self.lock();
        let id = live.next_id;
        live.next_id += 1;
        let handle = tokio::spawn(async move {
            let output = future.await;
            finished(id);
            output
        });
        live.tasks.insert(id, (name.into(), handle.abort_handle()));
        self.count.store(live.tasks.len(), Ordering::Release);
        handle
    }

    /// Forgets task `id`, which has completed.
    pub(crate) fn finished(&self, id: u64) {
        let mut live = self.lock();
        live.tasks.remove(&id);
        self.count.store(live.tasks.len(), Ordering::Release);
        if live.tasks.is_empty() {
            self.all_done.notify_waiters();
        }
    }

    /// Whether no task is running.
    pub(crate) fn is_empty(&self) -> bool {
        self.count.load(Ordering::Acquire) == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LiveTasks> {
        // A panic while holding this lock cannot leave the map inconsistent: every
        // critical section is a single insert or remove.
        self.live
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
            let notified = self.all_done.notified();
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
                abort.abort();
                name.into_owned()
            })
            .collect();
        self.count.store(0, Ordering::Release);
        leaked.sort();
        leaked
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
    async fn a_task_outliving_the_grace_period_is_named_and_aborted() {
        let tasks = Arc::new(OwnedTasks::default());
        let stuck = tasks.spawn("stuck-poller", std::future::pending::<()>());
        tasks.spawn("quick", async {});
        let leaked = tasks.drain(Duration::from_millis(20)).await;
        assert_eq!(leaked, vec!["stuck-poller".to_owned()]);
        assert!(stuck.await.unwrap_err().is_cancelled());
    }
}
