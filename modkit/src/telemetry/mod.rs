//! Telemetry: what a host tells the outside about itself while it runs, configured under
//! the host config's top-level `telemetry` section.
//!
//! * [`otel`]: traces over OpenTelemetry, from `telemetry.tracing` (exported with the
//!   `otel` cargo feature).
//! * `metrics`: Prometheus metrics, from `telemetry.metrics` (the `metrics` feature):
//!
//! ```yaml
//! telemetry:
//!   tracing: { enabled: false }
//!   metrics:
//!     enabled: true              # the default with the `metrics` feature
//!     bind_addr: 127.0.0.1:9464  # optional: a listener of its own instead of the gateway's
//! ```

#[cfg(feature = "metrics")]
pub mod metrics;
pub mod otel;
