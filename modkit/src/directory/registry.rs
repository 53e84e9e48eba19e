//! The directory's table of instances: registration, expiry and resolution, without I/O.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::{InstanceInfo, Lease, ServiceEndpoint};
use crate::runtime::{ModuleState, RuntimeReportHandle};

/// Why the directory refused a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    #[error("invalid registration of module `{module}`: {reason}")]
    Invalid { module: String, reason: String },
    #[error(
        "service `{service}` is already served by module `{owner}`; module `{module}` cannot register it too"
    )]
    Taken {
        service: String,
        owner: String,
        module: String,
    },
    #[error(
        "instance `{instance_id}` of module `{module}` is not registered (or expired); register it again"
    )]
    Unknown { module: String, instance_id: String },
}

/// Registered instances and the services they serve.
#[derive(Debug)]
pub(crate) struct InstanceTable {
    ttl: Duration,
    /// The host's module states: an entry the hub hosts itself lives as long as its module
    /// is serving.
    report: Option<RuntimeReportHandle>,
    inner: Mutex<Inner>,
    /// Counts the changes to the set of live instances, for watchers.
    changes: watch::Sender<u64>,
}

#[derive(Debug, Default)]
struct Inner {
    instances: HashMap<(String, String), Entry>,
    next_sequence: u64,
}

#[derive(Debug)]
struct Entry {
    info: InstanceInfo,
    lifetime: Lifetime,
    /// Registration order; later registrations resolve first.
    sequence: u64,
    /// What its last heartbeat said: a registered instance that is not serving stays
    /// registered but is not handed out.
    serving: bool,
}

#[derive(Debug, Clone, Copy)]
enum Lifetime {
    /// Served by the hub itself, in the host's process: no heartbeats.
    Hosted,
    /// Registered by another process: lives until a heartbeat is overdue.
    Until(Instant),
}

impl InstanceTable {
    /// A table whose registrations live `ttl` past their last heartbeat.
    pub(crate) fn new(ttl: Duration, report: Option<RuntimeReportHandle>) -> Self {
        Self {
            ttl,
            report,
            inner: Mutex::default(),
            changes: watch::Sender::new(0),
        }
    }

    /// Tells of every change to the set of live instances (the value counts them).
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// The lease every registration gets: heartbeats at a third of the time to live, so
    /// that one lost heartbeat does not expire an instance.
    pub(crate) fn lease(&self) -> Lease {
        Lease {
            ttl: self.ttl,
            heartbeat_interval: (self.ttl / 3).max(Duration::from_millis(10)),
        }
    }

    /// Adds an instance the hub serves itself.
    pub(crate) fn host(&self, info: InstanceInfo) {
        self.lock().insert(info, Lifetime::Hosted);
        self.changed();
    }

    /// Adds or replaces an instance registered by another process.
    pub(crate) fn register(&self, info: InstanceInfo, now: Instant) -> Result<Lease, Refusal> {
        validate(&info)?;
        let mut inner = self.lock();
        self.forget_expired(&mut inner, now);
        for entry in inner.instances.values() {
            if entry.info.module == info.module {
                continue;
            }
            if let Some(service) = info
                .services
                .iter()
                .find(|service| entry.info.services.contains(service))
            {
                return Err(Refusal::Taken {
                    service: service.clone(),
                    owner: entry.info.module.clone(),
                    module: info.module,
                });
            }
        }
        inner.insert(info, Lifetime::Until(now + self.ttl));
        drop(inner);
        self.changed();
        Ok(self.lease())
    }

    /// Extends a registered instance's life by the time to live.
    ///
    /// `serving` is what the instance says of its module: one that is not serving stays
    /// registered but is not resolved until a heartbeat says it serves again.
    pub(crate) fn heartbeat(
        &self,
        module: &str,
        instance_id: &str,
        serving: bool,
        now: Instant,
    ) -> Result<(), Refusal> {
        let mut inner = self.lock();
        self.forget_expired(&mut inner, now);
        let key = (module.to_owned(), instance_id.to_owned());
        match inner.instances.get_mut(&key) {
            Some(entry) => {
                if let Lifetime::Until(expires) = &mut entry.lifetime {
                    *expires = now + self.ttl;
                }
                let flipped = entry.serving != serving;
                entry.serving = serving;
                drop(inner);
                if flipped {
                    if serving {
                        tracing::info!(module, instance_id, "instance serves again; resolving it");
                    } else {
                        tracing::warn!(
                            module,
                            instance_id,
                            "instance reports its module not serving; not resolving it until it does"
                        );
                    }
                    self.changed();
                }
                Ok(())
            }
            None => Err(Refusal::Unknown {
                module: key.0,
                instance_id: key.1,
            }),
        }
    }

    /// Removes an instance; `false` if it was not registered.
    pub(crate) fn deregister(&self, module: &str, instance_id: &str) -> bool {
        let key = (module.to_owned(), instance_id.to_owned());
        let removed = self.lock().instances.remove(&key).is_some();
        if removed {
            self.changed();
        }
        removed
    }

    /// Removes the instances whose heartbeat is overdue at `now`.
    pub(crate) fn expire(&self, now: Instant) {
        let mut inner = self.lock();
        self.forget_expired(&mut inner, now);
    }

    /// When the next registered instance expires unless it sends a heartbeat.
    pub(crate) fn next_expiry(&self) -> Option<Instant> {
        self.lock()
            .instances
            .values()
            .filter_map(|entry| match entry.lifetime {
                Lifetime::Hosted => None,
                Lifetime::Until(expires) => Some(expires),
            })
            .min()
    }

    /// Expires instances as soon as their heartbeat is overdue, rather than when the next
    /// request comes, so that watchers learn of it; until `shutdown` fires.
    pub(crate) async fn expire_on_time(&self, shutdown: CancellationToken) {
        let mut changes = self.subscribe();
        loop {
            let next = self.next_expiry();
            let due = async {
                match next {
                    Some(at) => tokio::time::sleep_until(at.into()).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = shutdown.cancelled() => return,
                // A registration may expire before what was next.
                changed = changes.changed() => if changed.is_err() { return },
                () = due => self.expire(Instant::now()),
            }
        }
    }

    /// How many live instances each module has, by module name.
    #[cfg(feature = "metrics")]
    pub(crate) fn instance_counts(&self, now: Instant) -> Vec<(String, usize)> {
        let mut counts = std::collections::BTreeMap::<String, usize>::new();
        for endpoint in self.live(now, |_| true) {
            *counts.entry(endpoint.module).or_default() += 1;
        }
        counts.into_iter().collect()
    }

    /// The live endpoints serving `service`, most recently registered first.
    pub(crate) fn resolve(&self, service: &str, now: Instant) -> Vec<ServiceEndpoint> {
        self.live(now, |info| info.services.iter().any(|s| s == service))
    }

    /// The live instances of `module`, most recently registered first.
    pub(crate) fn instances_of(&self, module: &str, now: Instant) -> Vec<ServiceEndpoint> {
        self.live(now, |info| info.module == module)
    }

    fn live(&self, now: Instant, keep: impl Fn(&InstanceInfo) -> bool) -> Vec<ServiceEndpoint> {
        let inner = self.lock();
        let mut live: Vec<&Entry> = inner
            .instances
            .values()
            .filter(|entry| keep(&entry.info))
            .filter(|entry| match entry.lifetime {
                Lifetime::Hosted => self.is_serving(&entry.info.module),
                Lifetime::Until(expires) => expires > now && entry.serving,
            })
            .collect();
        live.sort_by_key(|entry| std::cmp::Reverse(entry.sequence));
        live.into_iter()
            .map(|entry| ServiceEndpoint {
                module: entry.info.module.clone(),
                instance_id: entry.info.instance_id.clone(),
                endpoint: entry.info.endpoint.clone(),
            })
            .collect()
    }

    fn is_serving(&self, module: &str) -> bool {
        let Some(report) = &self.report else {
            return true;
        };
        // Starting counts: modules call each other's services during start-up.
        !matches!(
            report.module_state(module),
            Some(ModuleState::Failed | ModuleState::Stopping | ModuleState::Stopped)
        ) && !report.module_down(module)
    }

    /// Removes the instances whose heartbeat is overdue at `now`, logging each.
    fn forget_expired(&self, inner: &mut Inner, now: Instant) {
        let before = inner.instances.len();
        inner.instances.retain(|_, entry| match entry.lifetime {
            Lifetime::Hosted => true,
            Lifetime::Until(expires) if expires > now => true,
            Lifetime::Until(_) => {
                let info = &entry.info;
                tracing::warn!(
                    module = %info.module,
                    instance_id = %info.instance_id,
                    endpoint = %info.endpoint,
                    ttl = ?self.ttl,
                    "instance expired: no heartbeat within its time to live"
                );
                false
            }
        });
        if inner.instances.len() != before {
            self.changed();
        }
    }

    fn changed(&self) {
        self.changes
            .send_modify(|count| *count = count.wrapping_add(1));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every edit is a single insert or remove; a panic cannot leave it half done.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Inner {
    fn insert(&mut self, info: InstanceInfo, lifetime: Lifetime) {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        let key = (info.module.clone(), info.instance_id.clone());
        self.instances.insert(
            key,
            Entry {
                info,
                lifetime,
                sequence,
                serving: true,
            },
        );
    }
}

fn validate(info: &InstanceInfo) -> Result<(), Refusal> {
    let invalid = |reason: String| Refusal::Invalid {
        module: info.module.clone(),
        reason,
    };
    if info.module.trim().is_empty() {
        return Err(invalid("the module name is empty".to_owned()));
    }
    if info.instance_id.trim().is_empty() {
        return Err(invalid("the instance id is empty".to_owned()));
    }
    if info.services.is_empty() {
        return Err(invalid("it serves no service".to_owned()));
    }
    if let Some(empty) = info.services.iter().position(|s| s.trim().is_empty()) {
        return Err(invalid(format!("service #{} has an empty name", empty + 1)));
    }
    let uri: Result<tonic::codegen::http::Uri, _> = info.endpoint.parse();
    match uri {
        Ok(uri) if matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some() => {
            Ok(())
        }
        _ => Err(invalid(format!(
            "endpoint `{}` is not an `http://host:port` address",
            info.endpoint
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(module: &str, id: &str, service: &str) -> InstanceInfo {
        InstanceInfo {
            module: module.to_owned(),
            instance_id: id.to_owned(),
            services: vec![service.to_owned()],
            endpoint: "http://127.0.0.1:4000".to_owned(),
        }
    }

    #[test]
    fn an_instance_without_heartbeats_expires() {
        let table = InstanceTable::new(Duration::from_secs(3), None);
        let start = Instant::now();
        table
            .register(instance("calc", "1", "demo.Calc"), start)
            .unwrap();
        assert_eq!(table.resolve("demo.Calc", start).len(), 1);
        let later = start + Duration::from_secs(2);
        table.heartbeat("calc", "1", true, later).unwrap();
        assert_eq!(
            table
                .resolve("demo.Calc", start + Duration::from_secs(4))
                .len(),
            1
        );
        let expired = later + Duration::from_secs(3);
        assert!(table.resolve("demo.Calc", expired).is_empty());
        assert!(matches!(
            table.heartbeat("calc", "1", true, expired),
            Err(Refusal::Unknown { .. })
        ));
    }

    #[test]
    fn an_instance_not_serving_stays_registered_but_is_not_resolved() {
        let table = InstanceTable::new(Duration::from_secs(3), None);
        let mut changes = table.subscribe();
        let start = Instant::now();
        table
            .register(instance("calc", "1", "demo.Calc"), start)
            .unwrap();
        changes.mark_unchanged();
        let later = start + Duration::from_secs(1);
        table.heartbeat("calc", "1", false, later).unwrap();
        assert!(table.resolve("demo.Calc", later).is_empty());
        assert!(table.instances_of("calc", later).is_empty());
        assert!(changes.has_changed().unwrap(), "watchers hear of it");
        // Still registered: its heartbeats are accepted, and it comes back when it serves.
        let again = later + Duration::from_secs(2);
        table.heartbeat("calc", "1", true, again).unwrap();
        assert_eq!(table.resolve("demo.Calc", again).len(), 1);
    }

    #[test]
    fn another_module_cannot_take_a_registered_service() {
        let table = InstanceTable::new(Duration::from_secs(3), None);
        let now = Instant::now();
        table
            .register(instance("calc", "1", "demo.Calc"), now)
            .unwrap();
        let refusal = table
            .register(instance("impostor", "2", "demo.Calc"), now)
            .unwrap_err();
        assert!(refusal.to_string().contains("`calc`"), "{refusal}");
        assert!(refusal.to_string().contains("`impostor`"), "{refusal}");
        table
            .register(instance("calc", "2", "demo.Calc"), now)
            .unwrap();
        let endpoints = table.resolve("demo.Calc", now);
        assert_eq!(endpoints.len(), 2);
        assert_eq!(
            endpoints[0].instance_id, "2",
            "the newest instance resolves first"
        );
    }

    #[test]
    fn every_change_to_the_live_instances_is_announced_and_heartbeats_are_not() {
        let ttl = Duration::from_secs(3);
        let table = InstanceTable::new(ttl, None);
        let mut changes = table.subscribe();
        let now = Instant::now();
        table
            .register(instance("calc", "1", "demo.Calc"), now)
            .unwrap();
        assert!(changes.has_changed().unwrap(), "a registration");
        changes.mark_unchanged();
        assert_eq!(table.instances_of("calc", now).len(), 1);

        let later = now + Duration::from_secs(1);
        table.heartbeat("calc", "1", true, later).unwrap();
        assert!(
            !changes.has_changed().unwrap(),
            "a heartbeat changes nothing"
        );
        assert_eq!(table.next_expiry(), Some(later + ttl));

        table.expire(later + ttl - Duration::from_millis(1));
        assert!(!changes.has_changed().unwrap(), "not yet due");
        table.expire(later + ttl);
        assert!(changes.has_changed().unwrap(), "an expiry");
        changes.mark_unchanged();
        assert!(table.instances_of("calc", later + ttl).is_empty());
        assert_eq!(table.next_expiry(), None);

        assert!(!table.deregister("calc", "1"));
        assert!(!changes.has_changed().unwrap(), "nothing was removed");
        table
            .register(instance("calc", "2", "demo.Calc"), now)
            .unwrap();
        changes.mark_unchanged();
        assert!(table.deregister("calc", "2"));
        assert!(changes.has_changed().unwrap(), "a deregistration");
    }

    #[test]
    fn registrations_are_validated() {
        let table = InstanceTable::new(Duration::from_secs(3), None);
        let mut bad = instance("calc", "1", "demo.Calc");
        bad.endpoint = "127.0.0.1:4000".to_owned();
        let refusal = table.register(bad, Instant::now()).unwrap_err();
        assert!(
            refusal.to_string().contains("`127.0.0.1:4000`"),
            "{refusal}"
        );
        let mut bad = instance("calc", "1", "demo.Calc");
        bad.services.clear();
        assert!(table.register(bad, Instant::now()).is_err());
    }
}
