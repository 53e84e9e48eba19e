use std::fmt;

use tokio::sync::oneshot;

/// Tells the runtime that a [`Runnable`](super::Runnable) module is ready to serve.
///
/// With `await_ready`, the module's start phase waits until its task calls
/// [`notify`](ReadySignal::notify). Dropping the signal without notifying fails start-up.
pub struct ReadySignal {
    sender: Option<oneshot::Sender<()>>,
}

impl ReadySignal {
    /// A signal and the receiver the starting side waits on.
    pub(crate) fn channel() -> (Self, oneshot::Receiver<()>) {
        let (sender, receiver) = oneshot::channel();
        (
            Self {
                sender: Some(sender),
            },
            receiver,
        )
    }

    /// A signal that nobody waits for: lets a `run` method be called directly, in tests.
    pub fn detached() -> Self {
        Self { sender: None }
    }

    /// Marks the module ready; its start phase completes.
    pub fn notify(mut self) {
        if let Some(sender) = self.sender.take() {
            // The starting side may have given up (deadline, rollback); nothing to tell then.
            let _ = sender.send(());
        }
    }
}

impl fmt::Debug for ReadySignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadySignal")
            .field("awaited", &self.sender.is_some())
            .finish()
    }
}
