//! TLS for the built-in servers: certificates and keys read from PEM files, optional client
//! certificates checked against a CA (mutual TLS), and certificates reloaded when their
//! files change, without a restart.
//!
//! The `api-gateway` (`modules.api-gateway.config.tls`) and the `grpc-hub`
//! (`modules.grpc-hub.config.tls`) take the same [`TlsConfig`] section:
//!
//! ```yaml
//! tls:
//!   cert_file: /etc/service/tls/server.pem   # the certificate chain, leaf first
//!   key_file: /etc/service/tls/server.key    # PKCS#8, PKCS#1 or SEC1
//!   client_ca_file: /etc/service/tls/ca.pem  # optional: require client certificates
//!   reload_interval: 10s                     # how often the files are looked at
//! ```
//!
//! [`ServerTls::load`] reads the files (a file that cannot be read or used fails start-up
//! naming the config key and the file) and builds a rustls server configuration whose
//! certificate comes from a [`ReloadingCert`]; [`ServerTls::watch`] is the task that
//! looks at the files every `reload_interval` and swaps in a new certificate when their
//! contents changed. Handshakes that start after the swap present the new certificate;
//! connections already open keep theirs. A replacement that cannot be used (half-written,
//! key and certificate not matching) is logged and the previous certificate kept.

mod config;
mod error;
mod files;
#[cfg(any(feature = "grpc-hub", feature = "oop"))]
mod incoming;
mod reload;
mod server;

pub use config::TlsConfig;
pub use error::TlsError;
#[cfg(any(feature = "grpc-hub", feature = "oop"))]
pub(crate) use incoming::tls_incoming;
pub use reload::ReloadingCert;
pub use server::ServerTls;
