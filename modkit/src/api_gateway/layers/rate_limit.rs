//! The optional per-client rate limit: a token bucket per client (the authenticated
//! subject when there is one, else the client's address); an exhausted client gets 429 as
//! a problem, with `RateLimit-*` and `Retry-After` headers.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api_gateway::RateLimitConfig;
use crate::rest::Problem;

/// Past this many tracked clients, clients whose bucket is full again are forgotten.
const TRACKED_CLIENTS: usize = 10_000;

const LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<ClientKey, Bucket>>,
}

/// Whose bucket a request takes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ClientKey {
    /// An authenticated caller, wherever it calls from.
    Subject(Arc<str>),
    /// An anonymous caller (or one whose token was refused), by address.
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// What one request was told.
#[derive(Debug, Clone, Copy)]
struct Decision {
    allowed: bool,
    remaining: u64,
    /// Seconds until the bucket is full again.
    reset: u64,
    /// Seconds until the next request would be allowed.
    retry_after: u64,
}

impl RateLimiter {
    pub(crate) fn new(config: RateLimitConfig) -> Self {
        let per_second = f64::from(config.requests_per_second);
        Self {
            per_second,
            burst: f64::from(config.burst.unwrap_or(config.requests_per_second)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Runs `serve` if `client` may make a request now, else answers 429; either way with
    /// the `RateLimit-*` headers.
    pub(crate) async fn run(
        &self,
        client: ClientKey,
        serve: impl Future<Output = Response>,
    ) -> Response {
        let decision = self.decide(client, Instant::now());
        let mut response = if decision.allowed {
            serve.await
        } else {
            let mut response = Problem::from_status(StatusCode::TOO_MANY_REQUESTS)
                .with_detail(format!(
                    "too many requests from this client; retry in {} s",
                    decision.retry_after
                ))
                .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(decision.retry_after));
            response
        };
        self.insert_headers(&decision, response.headers_mut());
        response
    }

    fn decide(&self, client: ClientKey, now: Instant) -> Decision {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= TRACKED_CLIENTS && !buckets.contains_key(&client) {
            let (per_second, burst) = (self.per_second, self.burst);
            buckets.retain(|_, bucket| {
                let elapsed = now.duration_since(bucket.updated).as_secs_f64();
                bucket.tokens + elapsed * per_second < burst
            });
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.updated = now;
        let allowed = bucket.tokens >= 1.0;
        if allowed {
            bucket.tokens -= 1.0;
        }
        let seconds = |tokens: f64| (tokens.max(0.0) / self.per_second).ceil() as u64;
        Decision {
            allowed,
            remaining: bucket.tokens.floor() as u64,
            reset: seconds(self.burst - bucket.tokens),
            retry_after: seconds(1.0 - bucket.tokens).max(1),
        }
    }

    fn insert_headers(&self, decision: &Decision, headers: &mut HeaderMap) {
        headers.insert(LIMIT, HeaderValue::from(self.burst as u64));
        headers.insert(REMAINING, HeaderValue::from(decision.remaining));
        headers.insert(RESET, HeaderValue::from(decision.reset));
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_client_gets_its_burst_then_waits_for_refill() {
        let limiter = RateLimiter::new(RateLimitConfig {
            requests_per_second: 2,
            burst: Some(3),
        });
        let client = ClientKey::Address(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let other = ClientKey::Subject("alice".into());
        let t0 = Instant::now();
        for remaining in [2, 1, 0] {
            let decision = limiter.decide(client.clone(), t0);
            assert!(decision.allowed);
            assert_eq!(decision.remaining, remaining);
        }
        let refused = limiter.decide(client.clone(), t0);
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after, 1);
        assert!(limiter.decide(other, t0).allowed, "buckets are per client");
        assert!(
            limiter
                .decide(client, t0 + Duration::from_millis(600))
                .allowed
        );
    }
}
