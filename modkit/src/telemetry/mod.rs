//! Telemetry: what a host tells the outside about itself while it runs.
//!
//! * [`otel`]: traces over OpenTelemetry, from the `telemetry.tracing` config section
//!   (exported with the `otel` cargo feature).

pub mod otel;
