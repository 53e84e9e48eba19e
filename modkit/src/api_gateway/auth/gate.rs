//! The middleware every route passes through when `auth` or `rate_limit` is configured:
//! authenticate the caller, take from its rate-limit bucket, then authorize the operation.
//!
//! Authentication never answers by itself: a refused token makes the caller anonymous, so
//! that the rate limit (keyed on the subject, else the address) also counts requests with
//! bad tokens before they are answered 401.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use super::error::AuthError;
use super::verifier::TokenVerifier;
use crate::api_gateway::docs::{DOCS_PATH, OPENAPI_PATH};
use crate::api_gateway::layers::{ClientKey, RateLimiter, TrustedProxies};
use crate::rest::{Access, AccessTable};
use crate::security::SecurityContext;

/// Authentication (when configured) and the rate limit (when configured).
#[derive(Debug)]
pub(crate) struct Gate {
    pub(crate) auth: Option<Authenticator>,
    pub(crate) limiter: Option<Arc<RateLimiter>>,
    pub(crate) proxies: TrustedProxies,
}

/// Who is let through when `auth` is configured.
#[derive(Debug)]
pub(crate) struct Authenticator {
    pub(crate) verifier: Arc<TokenVerifier>,
    pub(crate) access: AccessTable,
    pub(crate) realm: String,
    pub(crate) protect_docs: bool,
}

static PROTECTED: Access = Access::Authenticated {
    scopes: Vec::new(),
    roles: Vec::new(),
};

impl Authenticator {
    /// The access of the route a request was routed to (`None`: no route matched).
    fn access(&self, method: &Method, route: Option<&str>) -> &Access {
        let Some(route) = route else {
            // Unknown paths: a caller without a token learns nothing about which exist.
            return &PROTECTED;
        };
        if let Some(access) = self.access.get(method, route) {
            return access;
        }
        let docs = route == OPENAPI_PATH || route == DOCS_PATH || route.starts_with("/docs/");
        match route {
            "/healthz" | "/readyz" => &Access::Public,
            // Scrapers carry no token; what metrics say is no more than `/healthz` says.
            #[cfg(feature = "metrics")]
            crate::telemetry::metrics::METRICS_PATH => &Access::Public,
            _ if docs && !self.protect_docs => &Access::Public,
            // Routes added to the router without an `OperationBuilder`: secure by default.
            _ => &PROTECTED,
        }
    }
}

/// The middleware (for `axum::middleware::from_fn_with_state`).
pub(crate) async fn handle(
    State(gate): State<Arc<Gate>>,
    request: Request,
    next: Next,
) -> Response {
    let caller = match &gate.auth {
        Some(auth) => match bearer(request.headers()) {
            Ok(Some(token)) => auth.verifier.verify(token).await,
            Ok(None) => Err(AuthError::Missing),
            Err(refusal) => Err(refusal),
        },
        None => Err(AuthError::Missing),
    };
    match &gate.limiter {
        Some(limiter) => {
            let client = match &caller {
                Ok(context) => ClientKey::Subject(context.subject().into()),
                Err(_) => ClientKey::Address(client_addr(&gate.proxies, &request)),
            };
            limiter
                .run(client, authorize(&gate, caller, request, next))
                .await
        }
        None => authorize(&gate, caller, request, next).await,
    }
}

/// Serves the request if the operation lets `caller` in, with its context current.
async fn authorize(
    gate: &Gate,
    caller: Result<SecurityContext, AuthError>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(auth) = &gate.auth else {
        return next.run(request).await;
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str);
    let refusal = match (auth.access(request.method(), route), &caller) {
        (Access::Public, _) => None,
        (Access::Authenticated { .. }, Err(refusal)) => Some(refusal.clone()),
        (Access::Authenticated { scopes, roles }, Ok(context)) => {
            if !scopes.iter().all(|scope| context.has_scope(scope)) {
                Some(AuthError::InsufficientScope {
                    required: scopes.join(" "),
                })
            } else if !roles.iter().all(|role| context.has_role(role)) {
                Some(AuthError::InsufficientRole {
                    required: roles.join(" "),
                })
            } else {
                None
            }
        }
    };
    if let Some(refusal) = refusal {
        return refusal.answer(Some(&auth.realm));
    }
    match caller {
        Ok(context) => {
            request.extensions_mut().insert(context.clone());
            context.scope(next.run(request)).await
        }
        Err(_) => next.run(request).await,
    }
}

/// The bearer token of `headers`: `None` without an `Authorization` header.
fn bearer(headers: &HeaderMap) -> Result<Option<&str>, AuthError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(AuthError::Duplicate);
    }
    let text = value.to_str().map_err(|_| AuthError::Malformed)?;
    let (scheme, token) = text.split_once(' ').unwrap_or((text, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::NotBearer);
    }
    match token.trim() {
        "" => Err(AuthError::Malformed),
        token => Ok(Some(token)),
    }
}

fn client_addr(proxies: &TrustedProxies, request: &Request) -> IpAddr {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    proxies.client(peer, request.headers())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_one_bearer_header_is_read() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), Ok(None));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic dTpw"),
        );
        assert_eq!(bearer(&headers), Err(AuthError::NotBearer));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer"));
        assert_eq!(bearer(&headers), Err(AuthError::Malformed));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer a.b.c"),
        );
        assert_eq!(bearer(&headers), Ok(Some("a.b.c")));
        headers.append(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer d.e.f"),
        );
        assert_eq!(bearer(&headers), Err(AuthError::Duplicate));
    }
}
