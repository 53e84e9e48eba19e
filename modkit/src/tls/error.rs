use std::path::PathBuf;

/// Why a TLS certificate, key or CA file could not be used. Every variant names the config
/// key (`modules.api-gateway.config.tls.cert_file`) and the file; none carries the file's
/// contents.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// The file could not be read.
    #[error("cannot read `{key}` ({}): {source}", .path.display())]
    Read {
        /// The config key that names the file.
        key: String,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file was read but cannot be used: no PEM block of the expected kind, a key of
    /// an unsupported type, a key that does not match the certificate, ...
    #[error("`{key}` ({}) cannot be used: {reason}", .path.display())]
    Invalid {
        /// The config key that names the file.
        key: String,
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}
