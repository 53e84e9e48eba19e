//! Whether a running child is still in the host's directory. A child that hangs, or was
//! stopped (SIGSTOP), keeps its process but stops heartbeating, so the directory expires
//! its registration: that is how the supervisor learns it no longer answers.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::ChildState;
use crate::directory::{DirectoryClient, ServiceEndpoint};
use crate::oop::OopModuleStatus;

/// The first wait before watching the directory again after the watch failed; doubled on
/// each failure in a row, up to [`RETRY_MAX`].
const RETRY_MIN: Duration = Duration::from_millis(50);
const RETRY_MAX: Duration = Duration::from_secs(2);

/// Follows one child's instance in the directory.
pub(super) struct Liveness {
    pub(super) module: Arc<str>,
    /// The directory's endpoint.
    pub(super) directory: String,
    pub(super) state: watch::Receiver<ChildState>,
    /// The run of the child to follow.
    pub(super) attempt: u32,
    pub(super) status: OopModuleStatus,
    /// How long it may be missing before it counts as unresponsive.
    pub(super) after: Duration,
}

impl Liveness {
    /// From the moment the child runs and has appeared in the directory: while its instance
    /// is missing the module is degraded, and ready again once it is back. Returns once it
    /// has been missing for `after`; never, for a child that never registers (a directory
    /// that cannot be reached, or a child that registers elsewhere).
    pub(super) async fn missing_too_long(mut self) {
        let Some(endpoint) = self.running_at().await else {
            return std::future::pending().await;
        };
        let Ok(directory) = DirectoryClient::connect_lazy(&self.directory) else {
            return std::future::pending().await;
        };
        let mut presence = Presence::default();
        let mut retry = RETRY_MIN;
        loop {
            let watched = tokio::select! {
                watched = directory.watch_module(&self.module) => watched,
                () = presence.overdue(self.after) => return,
            };
            let mut watch = match watched {
                Ok(watch) => watch,
                Err(error) => {
                    tracing::debug!(module = &*self.module, %error, "cannot watch the directory; trying again");
                    tokio::select! {
                        () = tokio::time::sleep(retry) => {}
                        () = presence.overdue(self.after) => return,
                    }
                    retry = (retry * 2).min(RETRY_MAX);
                    continue;
                }
            };
            retry = RETRY_MIN;
            loop {
                let answer = tokio::select! {
                    answer = watch.next() => answer,
                    () = presence.overdue(self.after) => return,
                };
                // An ended or broken watch is started again.
                let Some(Ok(live)) = answer else { break };
                self.update(&mut presence, &live, &endpoint);
            }
        }
    }

    /// Where the child serves, once it runs; `None` if the supervisor is gone.
    async fn running_at(&mut self) -> Option<String> {
        let attempt = self.attempt;
        let state = self
            .state
            .wait_for(
                |state| matches!(state, ChildState::Running { attempt: a, .. } if *a == attempt),
            )
            .await
            .ok()?;
        match &*state {
            ChildState::Running { endpoint, .. } => Some(endpoint.clone()),
            _ => None,
        }
    }

    fn update(&self, presence: &mut Presence, live: &[ServiceEndpoint], endpoint: &str) {
        let module = &*self.module;
        if live.iter().any(|instance| instance.endpoint == endpoint) {
            presence.seen = true;
            if presence.missing_since.take().is_some() {
                tracing::info!(module, endpoint, "child is back in the directory");
                self.status.running();
            }
        } else if presence.seen && presence.missing_since.is_none() {
            tracing::warn!(
                module,
                endpoint,
                after = ?self.after,
                "child is missing from the directory (its heartbeats stopped); the module is degraded, and the child is killed and restarted unless it is back in time"
            );
            self.status.unresponsive();
            presence.missing_since = Some(Instant::now());
        }
    }
}

/// What the watch has shown of the child's instance.
#[derive(Debug, Default)]
struct Presence {
    /// It has been in the directory.
    seen: bool,
    /// Since when it has been missing after it was seen.
    missing_since: Option<Instant>,
}

impl Presence {
    /// Resolves once the instance has been missing for `after`; never while it is present.
    async fn overdue(&self, after: Duration) {
        match self.missing_since {
            Some(since) => tokio::time::sleep_until(since + after).await,
            None => std::future::pending().await,
        }
    }
}
