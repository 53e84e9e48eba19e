//! [`EtcdView`]: this process's copy of the directory, read without a lock.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use arc_swap::ArcSwap;

use super::record::{InstanceRecord, instance_key, instances_prefix};
use super::state::{ServiceMap, ViewState};
use crate::directory::{DirectoryView, ServiceEndpoint};

/// The directory as this process knows it: filled by one range read of
/// `PREFIX/instances/`, kept current by a watch (see [`EtcdDirectory::follow`]).
///
/// Resolving loads the current map (an atomic pointer load) and clones the service's
/// endpoint list (a reference count): no lock the follower holds, no allocation, no etcd
/// round trip. While etcd cannot be reached it serves what it knew last and says it is
/// [`degraded`](DirectoryView::degraded).
///
/// ```
/// use modkit::directory::DirectoryView;
/// use modkit::directory::etcd::{EtcdView, InstanceRecord};
///
/// let record = InstanceRecord {
///     services: vec!["demo.v1.Calc".to_owned()],
///     endpoint: "http://127.0.0.1:40001".to_owned(),
///     host_id: "h".to_owned(),
///     version: "0.1.0".to_owned(),
///     started_at_ms: 0,
/// };
/// let view = EtcdView::from_records("/modkit", [("calculator", "i-1", &record)]);
/// let endpoints = view.resolve("demo.v1.Calc").unwrap();
/// assert_eq!(endpoints[0].endpoint, "http://127.0.0.1:40001");
/// assert!(view.resolve("demo.v1.Other").is_none());
/// ```
///
/// [`EtcdDirectory::follow`]: super::EtcdDirectory::follow
#[derive(Debug)]
pub struct EtcdView {
    services: ArcSwap<ServiceMap>,
    generation: AtomicU64,
    degraded: AtomicBool,
    instances: AtomicU64,
}

impl Default for EtcdView {
    fn default() -> Self {
        Self {
            services: ArcSwap::from_pointee(ServiceMap::default()),
            generation: AtomicU64::new(0),
            // Nothing is known until the first listing.
            degraded: AtomicBool::new(true),
            instances: AtomicU64::new(0),
        }
    }
}

impl EtcdView {
    /// A view holding `records` (`(module, instance_id, record)`) as if listed from etcd
    /// under `prefix`, in registration order; for tests and benchmarks.
    pub fn from_records<'r>(
        prefix: &str,
        records: impl IntoIterator<Item = (&'r str, &'r str, &'r InstanceRecord)>,
    ) -> Self {
        let mut state = ViewState::new(instances_prefix(prefix));
        for (created, (module, instance_id, record)) in (1_i64..).zip(records) {
            let key = instance_key(prefix, module, instance_id);
            let value = serde_json::to_vec(record).unwrap_or_default();
            state.put(key.as_bytes(), &value, created);
        }
        let view = Self::default();
        view.publish(&state);
        view.set_degraded(false);
        view
    }

    /// How many instances it knows.
    pub fn instance_count(&self) -> u64 {
        self.instances.load(Ordering::Relaxed)
    }

    /// Replaces what resolving sees with `state`.
    pub(super) fn publish(&self, state: &ViewState) {
        self.services.store(Arc::new(state.services()));
        self.instances.store(state.len() as u64, Ordering::Relaxed);
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// Records whether etcd can be reached, logging each change.
    pub(super) fn set_degraded(&self, degraded: bool) {
        let was = self.degraded.swap(degraded, Ordering::AcqRel);
        if was != degraded {
            if degraded {
                tracing::warn!(
                    "directory degraded: etcd cannot be reached; serving the last known view"
                );
            } else {
                tracing::info!("directory view current: following etcd");
            }
        }
    }
}

impl DirectoryView for EtcdView {
    fn resolve(&self, service: &str) -> Option<Arc<[ServiceEndpoint]>> {
        self.services.load().get(service).cloned()
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn degraded(&self) -> bool {
        self.degraded.load(Ordering::Acquire)
    }

    fn backend(&self) -> &'static str {
        "etcd"
    }
}
