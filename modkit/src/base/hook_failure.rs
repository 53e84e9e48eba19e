//! Why a hook did not succeed: the runtime's own causes (a deadline, a caught panic) and the
//! cancellation that drops a hook, shared by the runtime that runs hooks and the report that
//! records them.

use std::any::Any;
use std::time::Duration;

/// A hook ran past its deadline and was abandoned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("did not finish within its deadline of {limit:?}")]
pub struct HookTimedOut {
    /// The deadline it was given.
    pub limit: Duration,
}

/// A hook panicked; the panic was caught and became the module's error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("panicked: {message}")]
pub struct HookPanicked {
    /// The panic's message, when it had one.
    pub message: String,
}

/// Why a hook did not succeed.
#[derive(Debug)]
pub(crate) enum HookFailure {
    /// It returned an error, panicked or timed out.
    Error(anyhow::Error),
    /// The host was cancelled while it ran; it was dropped.
    Cancelled,
}

/// The text of a panic payload (`panic!("...")` gives a `&str` or a `String`).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}
