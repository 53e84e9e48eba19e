use std::time::Duration;

use crate::base::Phase;
use crate::registry::RegistryError;

/// Why a [`TestHost`](super::TestHost) did not start or stop as expected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TestHostError {
    /// A chosen module is not linked into the test binary.
    #[error("no linked module is named `{module}`{hint}")]
    UnknownModule {
        /// The chosen name.
        module: String,
        /// A suggestion, or the names that are linked.
        hint: String,
    },
    /// The chosen modules do not form a valid host.
    #[error("the chosen modules do not form a valid host")]
    Registry(#[source] RegistryError),
    /// A start-up phase failed; what had started was stopped again.
    #[error("start-up failed")]
    Startup(#[source] RegistryError),
    /// The host returned without an error but never became ready (it was cancelled).
    #[error("the host stopped before it became ready")]
    StoppedBeforeReady,
    /// Stopping reported an error.
    #[error("the host failed while running or stopping")]
    Run(#[source] RegistryError),
    /// Start-up or shutdown took longer than the test's patience.
    #[error("gave up after {patience:?} waiting for the host to {what}")]
    TimedOut {
        /// `start` or `stop`.
        what: &'static str,
        /// How long it waited.
        patience: Duration,
    },
    /// A fault injected with [`TestHost::fail`](super::TestHost::fail) (or its siblings)
    /// cannot apply to the hook it names.
    #[error("cannot inject a fault into `{module}`'s {}: {reason}", hook.as_str())]
    BadFault {
        /// The module the fault names.
        module: String,
        /// The hook the fault names.
        hook: Phase,
        /// Why it cannot apply.
        reason: String,
    },
    /// [`RunningTestHost::kill_child`](super::RunningTestHost) or a sibling found no
    /// child of the module to signal.
    #[error("module `{module}` has no running child process")]
    NoChild {
        /// The module named.
        module: String,
    },
    /// A run of [`TestHost::each_placement`](super::TestHost) failed.
    #[error("with `{module}` {placement}")]
    InPlacement {
        /// The module whose placement changes between runs.
        module: String,
        /// Where it ran (`in process`, `out of process (BINARY)`).
        placement: String,
        /// What failed.
        #[source]
        source: Box<TestHostError>,
    },
    /// The host's task panicked.
    #[error("the host task panicked: {0}")]
    Panicked(String),
}
