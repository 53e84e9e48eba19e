use std::net::SocketAddr;
use std::time::Duration;

use crate::config::ConfigError;
use crate::rest::RouteConflict;

/// Why the `api-gateway` module could not do its part.
#[derive(Debug, thiserror::Error)]
pub enum ApiGatewayError {
    /// The module's `config` section could not be read.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The `cors` section describes a policy that cannot be served.
    #[error("invalid `modules.api-gateway.config.cors`: {reason}")]
    Cors {
        /// What is wrong with it.
        reason: String,
    },
    /// The `rate_limit` section cannot be served.
    #[error("invalid `modules.api-gateway.config.rate_limit`: {reason}")]
    RateLimit {
        /// What is wrong with it.
        reason: String,
    },
    /// Operations claimed the same operation id or route, named different schemas alike, or
    /// had a path the router cannot take.
    #[error("REST operations refused: {}", list(.0))]
    Conflicts(Vec<RouteConflict>),
    /// The listening socket could not be opened.
    #[error(
        "cannot listen on `{addr}` (set `modules.api-gateway.config.bind_addr`, port 0 picks a free one)"
    )]
    Bind {
        /// The configured address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// `start` ran before the rest phase handed over the router.
    #[error("the REST host was started before the rest phase built its router")]
    NoRouter,
    /// Requests were still running when the stop deadline passed.
    #[error("in-flight requests were still running at the stop deadline; they were dropped")]
    DrainTimedOut,
    /// The token signing keys could not be loaded (or `auth` cannot be served).
    #[error(transparent)]
    Keys(#[from] super::auth::KeyError),
    /// The `tls` certificate, key or client CA cannot be used.
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    /// The request timeout is zero.
    #[error("`modules.api-gateway.config.request_timeout` must be above zero, not {0:?}")]
    ZeroTimeout(Duration),
}

fn list(conflicts: &[RouteConflict]) -> String {
    conflicts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
