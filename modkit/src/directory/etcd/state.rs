//! The instances a view knows, as the follower applies etcd's events to them; pure, so
//! that the view's rules (skip garbage, newest first) are tested without etcd.

use std::collections::HashMap;
use std::sync::Arc;

use foldhash::fast::FixedState;

use super::record::{parse_key, parse_record};
use crate::directory::ServiceEndpoint;

/// Service name to its live endpoints, newest registration first: what resolving reads.
pub(crate) type ServiceMap = HashMap<Box<str>, Arc<[ServiceEndpoint]>, FixedState>;

/// Every instance under the prefix, by key.
#[derive(Debug)]
pub(crate) struct ViewState {
    instances_prefix: String,
    instances: HashMap<String, Known>,
}

#[derive(Debug)]
struct Known {
    endpoint: ServiceEndpoint,
    services: Vec<String>,
    /// etcd's revision of the key's creation: orders registrations.
    created: i64,
}

impl ViewState {
    /// An empty view of the instances under `instances_prefix` (`/modkit/instances/`).
    pub(crate) fn new(instances_prefix: String) -> Self {
        Self {
            instances_prefix,
            instances: HashMap::new(),
        }
    }

    /// Forgets everything (before a full listing replaces it).
    pub(crate) fn clear(&mut self) {
        self.instances.clear();
    }

    /// How many instances it knows.
    pub(crate) fn len(&self) -> usize {
        self.instances.len()
    }

    /// A key was written: the instance it holds is live, unless the value is not an
    /// instance, which is skipped with a warning naming the key.
    pub(crate) fn put(&mut self, key: &[u8], value: &[u8], created: i64) {
        let Ok(key) = std::str::from_utf8(key) else {
            let key = String::from_utf8_lossy(key);
            tracing::warn!("directory key `{key}` is not UTF-8; skipped");
            return;
        };
        let Some((module, instance_id)) = parse_key(&self.instances_prefix, key) else {
            tracing::warn!(
                "directory key `{key}` is not `PREFIX/instances/MODULE/INSTANCE_ID`; skipped"
            );
            return;
        };
        match parse_record(value) {
            Ok(record) => {
                let known = Known {
                    endpoint: ServiceEndpoint {
                        module: module.to_owned(),
                        instance_id: instance_id.to_owned(),
                        endpoint: record.endpoint,
                    },
                    services: record.services,
                    created,
                };
                self.instances.insert(key.to_owned(), known);
            }
            Err(reason) => {
                tracing::warn!("directory record `{key}` does not parse ({reason}); skipped");
                // What the key held before is no longer what etcd holds.
                self.instances.remove(key);
            }
        }
    }

    /// A key was deleted (or its lease expired).
    pub(crate) fn delete(&mut self, key: &[u8]) {
        if let Ok(key) = std::str::from_utf8(key) {
            self.instances.remove(key);
        }
    }

    /// Every service's live endpoints, newest registration first.
    pub(crate) fn services(&self) -> ServiceMap {
        let mut by_service: HashMap<&str, Vec<&Known>> = HashMap::new();
        for known in self.instances.values() {
            for service in &known.services {
                by_service.entry(service).or_default().push(known);
            }
        }
        by_service
            .into_iter()
            .map(|(service, mut instances)| {
                instances.sort_by(|a, b| {
                    b.created
                        .cmp(&a.created)
                        .then_with(|| a.endpoint.instance_id.cmp(&b.endpoint.instance_id))
                });
                let endpoints: Arc<[ServiceEndpoint]> = instances
                    .into_iter()
                    .map(|known| known.endpoint.clone())
                    .collect();
                (Box::from(service), endpoints)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(service: &str, endpoint: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "services": [service], "endpoint": endpoint, "host_id": "h",
            "version": "0.1.0", "started_at_ms": 1
        }))
        .unwrap()
    }

    #[test]
    fn the_newest_registration_resolves_first_and_deletes_remove() {
        let mut state = ViewState::new("/m/instances/".to_owned());
        state.put(
            b"/m/instances/calc/a",
            &record("demo.Calc", "http://a:1"),
            5,
        );
        state.put(
            b"/m/instances/calc/b",
            &record("demo.Calc", "http://b:1"),
            9,
        );
        let services = state.services();
        let calc = &services["demo.Calc"];
        assert_eq!(calc[0].instance_id, "b");
        assert_eq!(calc[1].endpoint, "http://a:1");
        state.delete(b"/m/instances/calc/b");
        assert_eq!(state.services()["demo.Calc"].len(), 1);
    }

    #[test]
    fn garbage_is_skipped_and_replaces_what_the_key_held() {
        let mut state = ViewState::new("/m/instances/".to_owned());
        state.put(
            b"/m/instances/calc/a",
            &record("demo.Calc", "http://a:1"),
            5,
        );
        state.put(b"/m/instances/calc/a", b"{not json", 6);
        state.put(b"/m/stray", &record("demo.Calc", "http://c:1"), 7);
        assert_eq!(state.len(), 0);
        assert!(state.services().is_empty());
    }
}
