//! What an instance's key and value hold.

use serde::{Deserialize, Serialize};

/// The JSON value of an instance's key, `PREFIX/instances/MODULE/INSTANCE_ID`.
///
/// ```
/// use modkit::directory::etcd::InstanceRecord;
///
/// let record: InstanceRecord = serde_json::from_str(r#"{
///     "services": ["demo.v1.Calc"], "endpoint": "http://10.0.0.7:40001",
///     "host_id": "0b6f0f9e-3c0e-4c47-9a53-5d1c1e1a0c11", "version": "0.1.0",
///     "started_at_ms": 1767225600000
/// }"#)?;
/// assert_eq!(record.services, ["demo.v1.Calc"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceRecord {
    /// The gRPC services it serves (`package.Service`).
    pub services: Vec<String>,
    /// Where to call it (`http://host:port`).
    pub endpoint: String,
    /// The host process that runs it (its host's instance id, or its own).
    pub host_id: String,
    /// The version of the binary that runs it.
    pub version: String,
    /// When it started, in milliseconds since the Unix epoch.
    pub started_at_ms: u64,
}

/// The key of `module`'s instance `instance_id` under `prefix` (no trailing `/`).
pub(crate) fn instance_key(prefix: &str, module: &str, instance_id: &str) -> String {
    format!("{prefix}/instances/{module}/{instance_id}")
}

/// The prefix of every instance key.
pub(crate) fn instances_prefix(prefix: &str) -> String {
    format!("{prefix}/instances/")
}

/// The module and instance id of an instance key, or `None` when `key` is not one.
pub(crate) fn parse_key<'k>(instances_prefix: &str, key: &'k str) -> Option<(&'k str, &'k str)> {
    let rest = key.strip_prefix(instances_prefix)?;
    let (module, instance_id) = rest.split_once('/')?;
    let valid = !module.is_empty() && !instance_id.is_empty() && !instance_id.contains('/');
    valid.then_some((module, instance_id))
}

/// Why a value under the prefix is not an instance.
pub(crate) fn parse_record(value: &[u8]) -> Result<InstanceRecord, String> {
    let record: InstanceRecord =
        serde_json::from_slice(value).map_err(|error| error.to_string())?;
    if record.services.is_empty() {
        return Err("it lists no service".to_owned());
    }
    if !record.endpoint.starts_with("http://") && !record.endpoint.starts_with("https://") {
        return Err(format!(
            "endpoint `{}` is not an `http://host:port` URL",
            record.endpoint
        ));
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_strangers_are_refused() {
        let key = instance_key("/modkit", "calculator", "42");
        assert_eq!(key, "/modkit/instances/calculator/42");
        let prefix = instances_prefix("/modkit");
        assert_eq!(parse_key(&prefix, &key), Some(("calculator", "42")));
        assert_eq!(parse_key(&prefix, "/modkit/instances/calculator"), None);
        assert_eq!(parse_key(&prefix, "/modkit/instances/a/b/c"), None);
        assert_eq!(parse_key(&prefix, "/other/instances/a/b"), None);
    }

    #[test]
    fn a_record_must_name_services_and_an_http_endpoint() {
        assert!(parse_record(b"not json").is_err());
        let no_service = br#"{"services":[],"endpoint":"http://a:1","host_id":"h","version":"1","started_at_ms":0}"#;
        assert!(parse_record(no_service).unwrap_err().contains("no service"));
        let bad_endpoint =
            br#"{"services":["s"],"endpoint":"a:1","host_id":"h","version":"1","started_at_ms":0}"#;
        assert!(parse_record(bad_endpoint).unwrap_err().contains("`a:1`"));
    }
}
