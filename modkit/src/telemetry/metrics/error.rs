use std::net::SocketAddr;

/// Why metrics could not be set up or served.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MetricsError {
    /// A key of `telemetry.metrics` has a bad value.
    #[error("`{key}`: {reason}")]
    Config {
        /// The full key, such as `telemetry.metrics.bind_addr`.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The listener of `telemetry.metrics.bind_addr` could not be bound.
    #[error("cannot serve `/metrics` on {addr} (`telemetry.metrics.bind_addr`): {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}
