//! The `api-gateway` built-in module: the one REST host (capabilities `rest_host`,
//! `stateful`, `system`).
//!
//! It serves every REST module's routes with axum on `config.bind_addr`, plus:
//!
//! | path | what |
//! |---|---|
//! | `/openapi.json` | the OpenAPI 3.1 document of every [`OperationBuilder`](crate::rest::OperationBuilder) operation |
//! | `/docs` | Swagger UI for it, bundled (works with no internet access) |
//! | `/healthz` | liveness: always 200, with every module's state |
//! | `/readyz` | 200 once start-up has finished and until stopping begins, else 503 |
//! | `/metrics` | Prometheus metrics, when the host keeps them (feature `metrics`, `telemetry.metrics`) |
//!
//! Every request gets an `x-request-id` (kept from the client or generated, echoed back), a
//! tracing span (method, matched route, status, latency), a body limit, a timeout, and
//! `x-content-type-options: nosniff`; CORS and a per-client rate limit are available from
//! config. Every error is an RFC 9457 [`Problem`](crate::rest::Problem), including the
//! 400, 414 and 431 hyper gives requests it cannot read; a panicking handler answers 500 and
//! the server keeps serving. It speaks HTTP/1.1 and HTTP/2: over TLS (`tls`, certificates
//! reloaded when their files change; see [`crate::tls`]) by ALPN, over cleartext by prior
//! knowledge (h2c). Stopping stops accepting connections
//! and lets in-flight requests finish within the module's stop deadline.
//!
//! Configure it under `modules.api-gateway.config` (see [`ApiGatewayConfig`]). Other
//! modules (and tests) find the bound address through the ClientHub:
//!
//! ```
//! # async fn demo(hub: &modkit::ClientHub) -> anyhow::Result<()> {
//! use modkit::api_gateway::ApiGatewayHandle;
//!
//! let gateway = hub.get::<ApiGatewayHandle>()?;
//! if let Some(addr) = gateway.local_addr() {
//!     println!("serving on http://{addr}");
//! }
//! # Ok(())
//! # }
//! ```

mod auth;
mod config;
mod connection;
mod docs;
mod error;
mod handle;
mod health;
mod layers;
mod metrics;
mod module;
mod server;
mod sniff;
mod unreadable;

pub use auth::{AuthConfig, AuthError, JwtAlgorithm, JwtConfig, KeyError, TokenVerifier};
pub use config::{ApiGatewayConfig, CorsConfig, RateLimitConfig};
pub use error::ApiGatewayError;
pub use handle::ApiGatewayHandle;
pub use layers::RequestId;
pub use module::ApiGateway;
