//! The layers around every route, built once from the config in the rest phase.

mod client_addr;
pub(super) mod cors;
mod error_answer;
mod rate_limit;
mod request;
mod request_id;
#[cfg(feature = "otel")]
mod trace_context;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use tower_http::cors::CorsLayer;

pub(crate) use client_addr::TrustedProxies;
pub(crate) use rate_limit::{ClientKey, RateLimiter};
pub(crate) use request::RequestPolicy;
pub use request_id::RequestId;

use super::auth::{self, Authenticator, Gate, TokenVerifier};
use super::{ApiGatewayConfig, ApiGatewayError};
use crate::rest::AccessTable;
use request::RequestLayer;
use request_id::RequestIds;

/// The layers `config` describes, validated.
#[derive(Debug, Clone)]
pub(crate) struct Layers {
    policy: Arc<RequestPolicy>,
    body_limit: usize,
    cors: Option<CorsLayer>,
    rate_limit: Option<Arc<RateLimiter>>,
    auth: Option<AuthSetup>,
    proxies: TrustedProxies,
}

/// What the gate needs of `auth`, before the routes' access is known.
#[derive(Debug, Clone)]
struct AuthSetup {
    verifier: Arc<TokenVerifier>,
    realm: String,
    protect_docs: bool,
}

impl Layers {
    /// The layers of `config`; `verifier` checks tokens when `config.auth` is set, and
    /// `metrics` (the host's, if it keeps them) records every request.
    pub(crate) fn from_config(
        config: &ApiGatewayConfig,
        verifier: Option<Arc<TokenVerifier>>,
        metrics: Option<&super::metrics::Metrics>,
    ) -> Result<Self, ApiGatewayError> {
        #[cfg(not(feature = "metrics"))]
        let _ = metrics;
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
                #[cfg(feature = "metrics")]
                metrics: metrics.map(|metrics| Arc::clone(metrics.http())),
            }),
            body_limit: config.body_limit_bytes,
            cors: config.cors.as_ref().map(cors::layer).transpose()?,
            rate_limit: config.rate_limit.map(|c| Arc::new(RateLimiter::new(c))),
            auth: config
                .auth
                .as_ref()
                .zip(verifier)
                .map(|(auth, verifier)| AuthSetup {
                    verifier,
                    realm: auth.realm.clone(),
                    protect_docs: auth.protect_docs,
                }),
            proxies: TrustedProxies::new(config.trusted_proxies.clone()),
        })
    }

    /// What every request is held to (its id generator, for answers given outside the
    /// routes).
    pub(crate) fn policy(&self) -> Arc<RequestPolicy> {
        Arc::clone(&self.policy)
    }

    /// Wraps every route of `router` (and its fallback, a 404 problem), innermost first:
    /// body limit, the gate (authentication, rate limit, authorization by `access`), the
    /// request layer, CORS.
    pub(crate) fn apply(self, router: Router, access: AccessTable) -> Router {
        let mut router = router
            .fallback(request::not_found)
            .layer(DefaultBodyLimit::max(self.body_limit));
        if self.auth.is_some() || self.rate_limit.is_some() {
            let gate = Gate {
                auth: self.auth.map(|setup| Authenticator {
                    verifier: setup.verifier,
                    access,
                    realm: setup.realm,
                    protect_docs: setup.protect_docs,
                }),
                limiter: self.rate_limit,
                proxies: self.proxies,
            };
            router = router.layer(from_fn_with_state(Arc::new(gate), auth::handle));
        }
        router = router.layer(RequestLayer(self.policy));
        // The request's server span encloses the request layer's own span and everything
        // inside, so their log lines carry its trace id.
        #[cfg(feature = "otel")]
        if crate::telemetry::otel::enabled() {
            router = router.layer(trace_context::TraceContextLayer);
        }
        if let Some(cors) = self.cors {
            router = router.layer(cors);
        }
        router
    }
}
