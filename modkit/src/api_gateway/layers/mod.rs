//! The layers around every route, built once from the config in the rest phase.

pub(super) mod cors;
mod error_answer;
mod rate_limit;
mod request;
mod request_id;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use tower_http::cors::CorsLayer;

pub(crate) use request::RequestPolicy;
pub use request_id::RequestId;

use super::{ApiGatewayConfig, ApiGatewayError};
use rate_limit::RateLimiter;
use request::RequestLayer;
use request_id::RequestIds;

/// The layers `config` describes, validated.
#[derive(Debug, Clone)]
pub(crate) struct Layers {
    policy: Arc<RequestPolicy>,
    body_limit: usize,
    cors: Option<CorsLayer>,
    rate_limit: Option<Arc<RateLimiter>>,
}

impl Layers {
    pub(crate) fn from_config(config: &ApiGatewayConfig) -> Result<Self, ApiGatewayError> {
        if config.request_timeout.is_zero() {
            return Err(ApiGatewayError::ZeroTimeout(config.request_timeout));
        }
        if let Some(rate_limit) = &config.rate_limit {
            rate_limit.check()?;
        }
        Ok(Self {
            policy: Arc::new(RequestPolicy {
                timeout: config.request_timeout,
                body_limit: config.body_limit_bytes,
                ids: RequestIds::new(),
            }),
            body_limit: config.body_limit_bytes,
            cors: config.cors.as_ref().map(cors::layer).transpose()?,
            rate_limit: config.rate_limit.map(|c| Arc::new(RateLimiter::new(c))),
        })
    }

    /// What every request is held to (its id generator, for answers given outside the
    /// routes).
    pub(crate) fn policy(&self) -> Arc<RequestPolicy> {
        Arc::clone(&self.policy)
    }

    /// Wraps every route of `router` (and its fallback, a 404 problem), innermost first:
    /// body limit, rate limit, the request layer, CORS.
    pub(crate) fn apply(self, router: Router) -> Router {
        let mut router = router
            .fallback(request::not_found)
            .layer(DefaultBodyLimit::max(self.body_limit));
        if let Some(limiter) = self.rate_limit {
            router = router.layer(from_fn_with_state(limiter, rate_limit::handle));
        }
        router = router.layer(RequestLayer(self.policy));
        if let Some(cors) = self.cors {
            router = router.layer(cors);
        }
        router
    }
}
