//! Prometheus metrics (feature `metrics`): `GET /metrics` in the Prometheus text format
//! (OpenMetrics when the scraper asks for it), with OpenTelemetry's semantic-convention
//! names where one exists.
//!
//! | metric | labels | what |
//! |---|---|---|
//! | `http_server_request_duration_seconds` (histogram) | `http_request_method`, `http_route`, `http_response_status_code` | every request the api-gateway answered; the route is its template (`/v1/users/{id}`), `unmatched` when no route matched |
//! | `http_server_active_requests` | | requests being answered |
//! | `rpc_server_call_duration_seconds` (histogram) | `rpc_service`, `rpc_method`, `rpc_grpc_status_code` | every call the gRPC hub served (`_OTHER` for a service or method it does not have) |
//! | `rpc_client_call_duration_seconds` (histogram) | `rpc_service`, `rpc_method`, `rpc_grpc_status_code` | every call a `RemoteService` of the host made |
//! | `modkit_module_state` | `module`, `state` | 1 for the state each module is in, 0 for the others |
//! | `modkit_module_hook_duration_seconds` | `module`, `hook` | how long each hook ran (`pre_init`, `init`, `start`, ...) |
//! | `modkit_module_tasks` | `module` | tasks the module owns that are running |
//! | `modkit_module_restarts_total` | `module` | restarts of the module's child process |
//! | `modkit_directory_instances` | `module` | each module's live instances in the gRPC hub's directory |
//! | `db_client_connection_count` | `db_client_connection_pool_name` (the module), `db_client_connection_state` (`used`, `idle`) | each module's database pool (feature `db`) |
//! | `process_cpu_seconds_total`, `process_resident_memory_bytes`, `process_virtual_memory_bytes`, `process_open_fds`, `process_max_fds`, `process_start_time_seconds` | | the host process (Linux) |
//!
//! The host makes one [`Metrics`] from `telemetry.metrics` ([`MetricsConfig`]) and puts it
//! into the ClientHub; the api-gateway records into it and serves it at [`METRICS_PATH`]
//! (public, like `/healthz`, and not an operation of the OpenAPI document), or a listener
//! of its own serves it at `telemetry.metrics.bind_addr`.
//!
//! ```
//! # async fn demo(hub: &modkit::ClientHub) -> anyhow::Result<()> {
//! use modkit::telemetry::metrics::{Metrics, TextFormat};
//!
//! if let Some(metrics) = hub.try_get::<Metrics>() {
//!     println!("{}", metrics.render(TextFormat::Prometheus));
//! }
//! # Ok(())
//! # }
//! ```

mod config;
#[cfg(feature = "db")]
mod databases;
mod directory;
mod endpoint;
mod error;
#[cfg(feature = "grpc-hub")]
mod grpc;
mod http;
mod modules;
mod process;
mod registry;
mod text_format;

pub use config::MetricsConfig;
pub use endpoint::{METRICS_PATH, routes, serve};
pub use error::MetricsError;
#[cfg(feature = "grpc-hub")]
pub(crate) use grpc::GrpcServerLayer;
pub(crate) use http::{HttpMetrics, InFlight};
pub use registry::Metrics;
pub use text_format::TextFormat;

/// The metrics library, for modules adding metrics of their own to
/// [`Metrics::registry`].
pub use prometheus_client;
