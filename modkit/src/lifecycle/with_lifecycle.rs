use std::fmt;
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{ReadyMode, ReadySignal, Runnable};
use crate::base::ModuleHandle;
use crate::base::panic_message;
use crate::contracts::RunnableCapability;

/// The [`RunnableCapability`] of a [`Runnable`] module: runs its task between start and stop.
pub struct WithLifecycle<T: Runnable> {
    module: Arc<T>,
    running: Mutex<Option<RunningTask>>,
}

struct RunningTask {
    cancel: CancellationToken,
    handle: JoinHandle<anyhow::Result<()>>,
}

impl<T: Runnable> WithLifecycle<T> {
    /// Wraps the module instance the registry holds.
    pub fn new(module: Arc<T>) -> Self {
        Self {
            module,
            running: Mutex::new(None),
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<RunningTask>> {
        self.running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn spawn_task(
        &self,
        cancel: CancellationToken,
        ready: ReadySignal,
    ) -> JoinHandle<anyhow::Result<()>> {
        let owner = ModuleHandle::current();
        let run = Arc::clone(&self.module).launch(cancel.clone(), ready);
        let watched_owner = owner.clone();
        let task = async move {
            let outcome = match std::panic::AssertUnwindSafe(run).catch_unwind().await {
                Ok(outcome) => outcome,
                Err(panic) => Err(anyhow::anyhow!("task panicked: {}", panic_message(&*panic))),
            };
            if let (Err(error), Some(owner)) = (&outcome, &watched_owner) {
                if !cancel.is_cancelled() {
                    owner.task_failed("lifecycle", error);
                }
            }
            outcome
        };
        match owner {
            Some(owner) => owner.spawn("lifecycle", task),
            None => tokio::spawn(task),
        }
    }
}

impl<T: Runnable> fmt::Debug for WithLifecycle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithLifecycle")
            .field("module", &std::any::type_name::<T>())
            .field("options", &T::OPTIONS)
            .finish_non_exhaustive()
    }
}

fn not_ready(ended: Result<anyhow::Result<()>, tokio::task::JoinError>) -> anyhow::Error {
    match ended {
        Ok(Err(error)) => error.context("task failed before signalling ready"),
        Ok(Ok(())) => anyhow::anyhow!("task returned before signalling ready"),
        Err(join) => anyhow::anyhow!("task ended before signalling ready: {join}"),
    }
}

#[async_trait::async_trait]
impl<T: Runnable> RunnableCapability for WithLifecycle<T> {
    async fn start(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        if self.slot().is_some() {
            anyhow::bail!("already started; stop it before starting it again");
        }
        let task_cancel = cancel.child_token();
        let (ready, mut ready_rx) = ReadySignal::channel();
        let mut handle = self.spawn_task(task_cancel.clone(), ready);
        // If start-up gives up on us (deadline, rollback) this future is dropped: the guard
        // then cancels the task so it does not run on unowned.
        let guard = task_cancel.clone().drop_guard();
        if T::OPTIONS.ready == ReadyMode::AwaitSignal {
            // A task that signals and then dies at once must still count as having
            // signalled; its death is then reported through the module's state.
            let signalled = tokio::select! {
                biased;
                signalled = &mut ready_rx => signalled.is_ok(),
                ended = &mut handle => return Err(not_ready(ended)),
            };
            if !signalled {
                // The task dropped its signal; it is most likely ending, so report how.
                // Should it run on regardless, the start deadline ends the wait.
                return Err(not_ready((&mut handle).await));
            }
        }
        guard.disarm();
        *self.slot() = Some(RunningTask {
            cancel: task_cancel,
            handle,
        });
        Ok(())
    }

    async fn stop(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        let Some(RunningTask {
            cancel: task_cancel,
            mut handle,
        }) = self.slot().take()
        else {
            return Ok(());
        };
        task_cancel.cancel();
        let stop_timeout = T::OPTIONS.stop_timeout;
        tokio::select! {
            ended = &mut handle => match ended {
                Ok(outcome) => outcome,
                Err(join) => Err(anyhow::anyhow!("task ended abnormally: {join}")),
            },
            () = cancel.cancelled() => {
                handle.abort();
                anyhow::bail!("task did not finish before the module's stop deadline; aborted")
            }
            () = tokio::time::sleep(stop_timeout) => {
                handle.abort();
                anyhow::bail!("task did not finish within its stop_timeout of {stop_timeout:?}; aborted")
            }
        }
    }
}
