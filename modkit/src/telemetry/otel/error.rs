use thiserror::Error;

/// Why tracing could not be set up.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TelemetryError {
    /// A key of the `telemetry` section is wrong.
    #[error("`{key}`: {reason}")]
    InvalidConfig {
        /// The full key, such as `telemetry.tracing.sampler.ratio`.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `telemetry.tracing.enabled` is set in a binary built without the `otel` feature.
    #[error(
        "`telemetry.tracing.enabled` is true, but this binary was built without modkit's `otel` cargo feature"
    )]
    NotBuiltIn,
    /// The OTLP exporter could not be built.
    #[error("cannot set up the OTLP exporter for `{endpoint}`: {reason}")]
    Exporter {
        /// The receiver's URL.
        endpoint: String,
        /// What went wrong.
        reason: String,
    },
}
