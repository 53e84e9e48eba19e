//! What a running host tells about itself: Prometheus metrics (feature `metrics`).
//!
//! Configured under the host config's top-level `telemetry` section:
//!
//! ```yaml
//! telemetry:
//!   metrics:
//!     enabled: true              # the default with the `metrics` feature
//!     bind_addr: 127.0.0.1:9464  # optional: a listener of its own instead of the gateway's
//! ```

#[cfg(feature = "metrics")]
pub mod metrics;
