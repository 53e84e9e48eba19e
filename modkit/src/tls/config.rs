//! The `tls` section of a server's config.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// A server's `tls` section: its certificate, its key and, for mutual TLS, the CA its
/// clients' certificates must chain to.
///
/// ```
/// use modkit::tls::TlsConfig;
///
/// let config: TlsConfig = serde_json::from_value(serde_json::json!({
///     "cert_file": "/etc/tls/server.pem",
///     "key_file": "/etc/tls/server.key",
///     "client_ca_file": "/etc/tls/ca.pem",
///     "reload_interval": "30s",
/// }))
/// .unwrap();
/// assert_eq!(config.reload_interval, std::time::Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// The certificate chain in PEM, the server's own certificate first.
    pub cert_file: PathBuf,
    /// The private key in PEM (PKCS#8, PKCS#1 or SEC1). The file's contents are never
    /// logged or printed.
    pub key_file: PathBuf,
    /// CA certificates in PEM; when set, every client must present a certificate that
    /// chains to one of them (mutual TLS), and a client without one is refused during the
    /// handshake.
    #[serde(default)]
    pub client_ca_file: Option<PathBuf>,
    /// How often the files are looked at for a new certificate (default 10 s; never
    /// zero).
    #[serde(default = "default_reload_interval", deserialize_with = "interval")]
    pub reload_interval: Duration,
}

fn default_reload_interval() -> Duration {
    Duration::from_secs(10)
}

fn interval<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    crate::config::ConfigTimeout::deserialize(deserializer).map(Duration::from)
}
