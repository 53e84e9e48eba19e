//! Traces over OpenTelemetry: `telemetry.tracing` in the host's config.
//!
//! The kernel emits plain `tracing` spans (start-up, each phase, each module hook, each
//! migration); with tracing on, the host installs an OpenTelemetry layer that turns them
//! (and the REST and gRPC spans below) into OTel spans and exports them over OTLP.
//!
//! * Each REST request gets a server span whose parent is the caller's W3C `traceparent`
//!   (with `tracestate`), with the semantic-convention attributes `http.request.method`,
//!   `http.route` (the route's template) and `http.response.status_code`.
//! * Each call through a [`RemoteService`](crate::directory::RemoteService) gets a client
//!   span whose context travels in the call's gRPC metadata; the gRPC servers of the hub
//!   and of out-of-process children open their server span under it.
//! * Log lines written inside those spans carry `trace_id`.
//!
//! With tracing off (the default), none of this is installed: the kernel's spans cost a
//! disabled callsite check each.
//!
//! ```yaml
//! telemetry:
//!   tracing:
//!     enabled: true
//!     service_name: orders          # default: the binary's name
//!     otlp:
//!       endpoint: http://127.0.0.1:4317
//!       protocol: grpc              # or http (endpoint then ends in /v1/traces)
//!       timeout: 10s
//!     sampler: { ratio: 1.0, parent_based: true }
//!     export_interval: 5s
//! ```

mod config;
mod error;
#[cfg(feature = "otel")]
mod filter;
#[cfg(all(feature = "otel", any(feature = "grpc-hub", feature = "oop")))]
mod grpc;
#[cfg(all(feature = "otel", feature = "grpc-hub"))]
mod inject;
#[cfg(feature = "otel")]
mod install;
#[cfg(all(
    feature = "otel",
    any(feature = "api-gateway", feature = "grpc-hub", feature = "oop")
))]
mod propagation;
#[cfg(all(
    feature = "otel",
    any(feature = "api-gateway", feature = "grpc-hub", feature = "oop")
))]
mod sampled;

pub use config::{OtlpConfig, OtlpProtocol, SamplerConfig, TracingConfig};
pub use error::TelemetryError;
#[cfg(all(feature = "otel", feature = "grpc-hub"))]
pub(crate) use inject::inject_current;
#[cfg(feature = "otel")]
pub use install::{TracingGuard, otel_layer};
#[cfg(all(
    feature = "otel",
    any(feature = "api-gateway", feature = "grpc-hub", feature = "oop")
))]
pub(crate) use propagation::{set_parent_from, trace_id_of};
#[cfg(all(
    feature = "otel",
    any(feature = "api-gateway", feature = "grpc-hub", feature = "oop")
))]
pub(crate) use sampled::worth_a_span;

/// Whether an OpenTelemetry layer is installed in this process (tracing is on).
///
/// ```
/// // Nothing installed one here.
/// assert!(!modkit::telemetry::otel::enabled());
/// ```
pub fn enabled() -> bool {
    #[cfg(feature = "otel")]
    {
        install::installed()
    }
    #[cfg(not(feature = "otel"))]
    {
        false
    }
}

/// A tonic server builder that opens a server span per request when tracing is on (for
/// the gRPC hub and the children's servers).
#[cfg(any(feature = "grpc-hub", feature = "oop"))]
pub(crate) fn grpc_server() -> tonic::transport::Server {
    let server = tonic::transport::Server::builder();
    #[cfg(feature = "otel")]
    if enabled() {
        return server.trace_fn(grpc::grpc_server_span);
    }
    server
}
