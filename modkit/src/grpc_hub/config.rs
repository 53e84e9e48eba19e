use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// The `grpc-hub` module's configuration (`modules.grpc-hub.config`).
///
/// ```
/// use modkit::grpc_hub::{GrpcHubConfig, ListenPolicy};
///
/// let config: GrpcHubConfig = serde_json::from_value(serde_json::json!({
///     "bind_addr": "127.0.0.1:0",
///     "instance_ttl": "5s",
/// }))?;
/// assert_eq!(config.bind_addr.port(), 0);
/// assert_eq!(config.instance_ttl, std::time::Duration::from_secs(5));
/// assert_eq!(GrpcHubConfig::default().bind_addr.to_string(), "127.0.0.1:50051");
/// assert_eq!(config.listen, ListenPolicy::WhenNeeded);
///
/// let always: GrpcHubConfig = serde_json::from_value(serde_json::json!({ "listen": "always" }))?;
/// assert_eq!(always.listen, ListenPolicy::Always);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GrpcHubConfig {
    /// The TCP address to listen on (default `127.0.0.1:50051`, loopback only; port 0 picks
    /// a free port). Listening beyond loopback must be configured explicitly.
    pub bind_addr: SocketAddr,
    /// Also listen on this Unix socket (created with owner-only permissions).
    pub uds_path: Option<PathBuf>,
    /// How long an out-of-process instance stays in the directory without a heartbeat
    /// (`"15s"` or a number of seconds; default 15 s).
    #[serde(deserialize_with = "duration")]
    pub instance_ttl: Duration,
    /// Whether the hub opens its ports when nothing in the host needs them (default
    /// [`when_needed`](ListenPolicy::WhenNeeded)).
    pub listen: ListenPolicy,
    /// Serve TLS on `bind_addr`, optionally requiring client certificates (mutual TLS);
    /// see [`TlsConfig`](crate::tls::TlsConfig).
    pub tls: Option<crate::tls::TlsConfig>,
}

/// When the hub binds `bind_addr` (and `uds_path`): `modules.grpc-hub.config.listen`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListenPolicy {
    /// `when_needed` (the default): only if the host needs the hub: some module serves
    /// gRPC, the host runs modules out of process (it was given `OopSpawnOptions`), or a
    /// [`HostSecret`](crate::directory::HostSecret) was put into the ClientHub before start-up
    /// (children are expected to register with the directory). Otherwise the hub opens no
    /// port, serves nothing, and its [`bound_endpoint`](crate::GrpcHubCapability::bound_endpoint)
    /// stays `None`: a REST-only host listens on its REST port alone.
    #[default]
    WhenNeeded,
    /// `always`: serve health and the directory even with nothing else to serve (for
    /// processes that are not children of this host but register with its directory).
    Always,
}

impl Default for GrpcHubConfig {
    fn default() -> Self {
        Self {
            bind_addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 50051),
            uds_path: None,
            instance_ttl: Duration::from_secs(15),
            listen: ListenPolicy::WhenNeeded,
            tls: None,
        }
    }
}

fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Text(String),
        Seconds(u64),
    }
    let duration = match Value::deserialize(deserializer)? {
        Value::Seconds(seconds) => Duration::from_secs(seconds),
        Value::Text(text) => {
            crate::config::parse_duration(&text).map_err(serde::de::Error::custom)?
        }
    };
    if duration.is_zero() {
        return Err(serde::de::Error::custom(
            "the time to live must be above zero",
        ));
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_listen_policy_names_the_choices() {
        let error = serde_json::from_value::<GrpcHubConfig>(serde_json::json!({
            "listen": "sometimes",
        }))
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("unknown variant `sometimes`, expected `when_needed` or `always`"),
            "{error}"
        );
    }
}
