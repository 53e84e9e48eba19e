//! Keeping an [`EtcdView`] current: one listing, then a watch from the next revision.

use std::sync::Arc;
use std::time::Duration;

use etcd_client::{EventType, GetOptions, WatchOptions};
use tokio_util::sync::CancellationToken;

use super::state::ViewState;
use super::{EtcdDirectory, EtcdError, EtcdView};

/// The first pause after a failure to reach etcd; doubled on each failure in a row.
const RETRY_MIN: Duration = Duration::from_millis(100);
const RETRY_MAX: Duration = Duration::from_secs(2);

/// Why a watch ended.
enum WatchEnd {
    /// etcd no longer holds the revision to resume from: list again.
    Compacted,
    /// The connection or the watch broke: resume from the last revision seen.
    Broken(String),
}

impl EtcdDirectory {
    /// Lists every instance once (failing if etcd does not answer), then follows changes
    /// in a task until `stop` fires, and returns the view that task keeps current.
    pub async fn follow(&self, stop: CancellationToken) -> Result<Arc<EtcdView>, EtcdError> {
        let view = Arc::new(EtcdView::default());
        let mut state = ViewState::new(self.instances_prefix.clone());
        let revision = self.list(&mut state).await?;
        view.publish(&state);
        view.set_degraded(false);
        let directory = self.clone();
        let followed = Arc::clone(&view);
        tokio::spawn(async move {
            tokio::select! {
                () = directory.keep_current(&followed, state, revision) => {}
                () = stop.cancelled() => {}
            }
        });
        Ok(view)
    }

    /// Replaces `state` with every instance under the prefix; returns etcd's revision.
    async fn list(&self, state: &mut ViewState) -> Result<i64, EtcdError> {
        let mut client = self.client.clone();
        let listing = self
            .call(
                "range",
                client.get(
                    self.instances_prefix.as_bytes(),
                    Some(GetOptions::new().with_prefix()),
                ),
            )
            .await?;
        state.clear();
        for kv in listing.kvs() {
            state.put(kv.key(), kv.value(), kv.create_revision());
        }
        Ok(listing.header().map_or(0, |header| header.revision()))
    }

    /// Watches from `revision + 1` forever: resumes after a broken watch, lists again
    /// after a compaction, marking the view degraded while etcd cannot be reached.
    async fn keep_current(&self, view: &EtcdView, mut state: ViewState, mut revision: i64) {
        let mut retry = RETRY_MIN;
        loop {
            match self
                .watch(view, &mut state, &mut revision, &mut retry)
                .await
            {
                WatchEnd::Compacted => {
                    tracing::warn!(
                        revision,
                        "directory watch fell behind etcd's compaction; listing again"
                    );
                    match self.list(&mut state).await {
                        Ok(listed) => {
                            revision = listed;
                            view.publish(&state);
                            continue;
                        }
                        Err(error) => {
                            view.set_degraded(true);
                            tracing::debug!(%error, "listing the directory failed; retrying");
                        }
                    }
                }
                WatchEnd::Broken(reason) => {
                    view.set_degraded(true);
                    tracing::debug!(%reason, revision, "directory watch broke; resuming");
                }
            }
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(RETRY_MAX);
        }
    }

    /// One watch, applying its events to `state` and publishing them to `view`.
    async fn watch(
        &self,
        view: &EtcdView,
        state: &mut ViewState,
        revision: &mut i64,
        retry: &mut Duration,
    ) -> WatchEnd {
        let options = WatchOptions::new()
            .with_prefix()
            .with_start_revision(*revision + 1);
        let mut client = self.client.clone();
        let mut stream = match self
            .call(
                "watch",
                client.watch(self.instances_prefix.as_bytes(), Some(options)),
            )
            .await
        {
            Ok(stream) => stream,
            Err(error) => return WatchEnd::Broken(error.to_string()),
        };
        loop {
            let response = match stream.message().await {
                Ok(Some(response)) => response,
                Ok(None) => return WatchEnd::Broken("etcd ended the watch".to_owned()),
                Err(error) => return WatchEnd::Broken(error.to_string()),
            };
            if response.compact_revision() != 0 {
                return WatchEnd::Compacted;
            }
            if response.canceled() {
                return WatchEnd::Broken(format!(
                    "etcd cancelled the watch: {}",
                    response.cancel_reason()
                ));
            }
            if response.created() {
                view.set_degraded(false);
                *retry = RETRY_MIN;
            }
            let events = response.events();
            for event in events {
                let Some(kv) = event.kv() else { continue };
                match event.event_type() {
                    EventType::Put => state.put(kv.key(), kv.value(), kv.create_revision()),
                    EventType::Delete => state.delete(kv.key()),
                }
                *revision = (*revision).max(kv.mod_revision());
            }
            if !events.is_empty() {
                view.publish(state);
            }
        }
    }
}
