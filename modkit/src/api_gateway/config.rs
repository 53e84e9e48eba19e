//! The `api-gateway` module's configuration (`modules.api-gateway.config`).

use std::net::SocketAddr;
use std::time::Duration;

use ipnet::IpNet;
use serde::{Deserialize, Deserializer};

use super::auth::AuthConfig;
use crate::tls::TlsConfig;

/// `modules.api-gateway.config`: where to listen and how every request is handled.
///
/// Every field has a default, so the section may be left out.
///
/// ```yaml
/// modules:
///   api-gateway:
///     config:
///       bind_addr: 127.0.0.1:8080
///       body_limit_bytes: 1048576
///       request_timeout: 30s
///       cors:
///         allowed_origins: ["https://app.example.com"]
///         allow_credentials: true
///       rate_limit:
///         requests_per_second: 50
///         burst: 100
///       trusted_proxies: ["10.0.0.0/8"]
///       auth:
///         jwt:
///           issuer: https://login.example.com/
///           audiences: [notes-api]
///           jwks_url: https://login.example.com/keys
///       tls:
///         cert_file: /etc/notes/tls/server.pem
///         key_file: /etc/notes/tls/server.key
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiGatewayConfig {
    /// The address to listen on; port 0 picks a free port (read it from
    /// [`ApiGatewayHandle::local_addr`](super::ApiGatewayHandle::local_addr)).
    pub bind_addr: SocketAddr,
    /// The OpenAPI document's title (default: the name of the host's executable, so a
    /// service's docs page is titled after the service).
    pub title: String,
    /// The OpenAPI document's API version.
    pub version: String,
    /// The largest request body a handler reads, in bytes (larger: 413). A request whose
    /// `Content-Length` is larger is refused before its route runs, without reading the
    /// body (and without `100 Continue`).
    pub body_limit_bytes: usize,
    /// How long a request may take before it is answered 504 (`"30s"`, `"500ms"`; never
    /// zero).
    #[serde(deserialize_with = "timeout")]
    pub request_timeout: Duration,
    /// Cross-origin requests; off when absent. A policy that cannot be served (`*` with
    /// `allow_credentials`, say) is refused when the config is read.
    #[serde(deserialize_with = "servable_cors")]
    pub cors: Option<CorsConfig>,
    /// A per-client (per IP address) rate limit; off when absent.
    #[serde(deserialize_with = "servable_rate_limit")]
    pub rate_limit: Option<RateLimitConfig>,
    /// Proxies (CIDRs, or single addresses) whose `Forwarded` / `X-Forwarded-For` headers
    /// are believed when telling the client's address (for the rate limit); from anyone
    /// else those headers are ignored. Empty by default.
    #[serde(deserialize_with = "networks")]
    pub trusted_proxies: Vec<IpNet>,
    /// Bearer-token authentication; when absent every route is public (and a warning says
    /// so at start-up). See [`AuthConfig`].
    #[serde(deserialize_with = "servable_auth")]
    pub auth: Option<AuthConfig>,
    /// Serve HTTPS (HTTP/1.1 and HTTP/2 by ALPN) with this certificate and key; when
    /// absent, plain HTTP (HTTP/1.1, and HTTP/2 for clients that use it with prior
    /// knowledge). See [`TlsConfig`].
    pub tls: Option<TlsConfig>,
}

impl Default for ApiGatewayConfig {
    fn default() -> Self {
        Self {
            bind_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            title: executable_name(),
            version: "0.1.0".to_owned(),
            body_limit_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            cors: None,
            rate_limit: None,
            trusted_proxies: Vec::new(),
            auth: None,
            tls: None,
        }
    }
}

/// `cors`: which other origins may call the API from a browser.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CorsConfig {
    /// Origins allowed (`https://app.example.com`), or `["*"]` for any.
    pub allowed_origins: Vec<String>,
    /// Methods allowed, or `["*"]` for any.
    pub allowed_methods: Vec<String>,
    /// Request headers allowed, or `["*"]` for any.
    pub allowed_headers: Vec<String>,
    /// Whether browsers may send cookies and credentials (never with a `*` above).
    pub allow_credentials: bool,
    /// How long browsers may cache a preflight answer (`"10m"`).
    #[serde(deserialize_with = "optional_duration")]
    pub max_age: Option<Duration>,
}

impl Default for CorsConfig {
    fn default() -> Self {
        Self {
            allowed_origins: Vec::new(),
            allowed_methods: ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .map(str::to_owned)
                .to_vec(),
            allowed_headers: ["content-type", "authorization", "x-request-id"]
                .map(str::to_owned)
                .to_vec(),
            allow_credentials: false,
            max_age: None,
        }
    }
}

/// `rate_limit`: a token bucket per client: the authenticated subject when the request
/// carries a valid token, else the client's IP address (see
/// [`trusted_proxies`](ApiGatewayConfig::trusted_proxies)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Requests each client may make per second, on average.
    pub requests_per_second: u32,
    /// Requests a client may make at once after being idle (defaults to
    /// `requests_per_second`).
    #[serde(default)]
    pub burst: Option<u32>,
}

/// The host's executable without directory or extension (`notes-service`), or `modkit` when
/// the platform cannot tell.
fn executable_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|path| path.file_stem()?.to_str().map(str::to_owned))
        .unwrap_or_else(|| "modkit".to_owned())
}

impl RateLimitConfig {
    /// Refuses a limit that would refuse every request.
    pub(crate) fn check(&self) -> Result<(), super::ApiGatewayError> {
        if self.requests_per_second == 0 || self.burst == Some(0) {
            return Err(super::ApiGatewayError::RateLimit {
                reason: "`requests_per_second` and `burst` must be above zero".to_owned(),
            });
        }
        Ok(())
    }
}

// The checks the layers make at start-up, made as soon as the section is read, so that
// `check` and every other reader of the config refuse what the server would.
fn servable_cors<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<CorsConfig>, D::Error> {
    let cors = Option::<CorsConfig>::deserialize(deserializer)?;
    if let Some(cors) = &cors {
        // Building the layer is the check; the server builds its own from the same config.
        let _layer = super::layers::cors::layer(cors).map_err(|error| match error {
            super::ApiGatewayError::Cors { reason } => serde::de::Error::custom(reason),
            other => serde::de::Error::custom(other),
        })?;
    }
    Ok(cors)
}

fn servable_rate_limit<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<RateLimitConfig>, D::Error> {
    let limit = Option::<RateLimitConfig>::deserialize(deserializer)?;
    if let Some(limit) = &limit {
        limit.check().map_err(|error| match error {
            super::ApiGatewayError::RateLimit { reason } => serde::de::Error::custom(reason),
            other => serde::de::Error::custom(other),
        })?;
    }
    Ok(limit)
}

fn servable_auth<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<AuthConfig>, D::Error> {
    let auth = Option::<AuthConfig>::deserialize(deserializer)?;
    if let Some(auth) = &auth {
        auth.jwt.check().map_err(serde::de::Error::custom)?;
    }
    Ok(auth)
}

fn networks<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<IpNet>, D::Error> {
    Vec::<String>::deserialize(deserializer)?
        .iter()
        .map(|text| {
            text.parse::<IpNet>()
                .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    serde::de::Error::custom(format!(
                        "`modules.api-gateway.config.trusted_proxies`: `{text}` is neither a \
                         CIDR (`10.0.0.0/8`) nor an IP address"
                    ))
                })
        })
        .collect()
}

fn timeout<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    crate::config::ConfigTimeout::deserialize(deserializer).map(Duration::from)
}

fn optional_duration<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Duration>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|text| crate::config::parse_duration(&text).map_err(serde::de::Error::custom))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_section_is_the_defaults() {
        let config: ApiGatewayConfig = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!(config, ApiGatewayConfig::default());
        assert_eq!(config.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.request_timeout, Duration::from_secs(30));
        assert_eq!(config.body_limit_bytes, 1 << 20);
        // Titled after the executable: here, the unit-test binary `modkit-<hash>`.
        assert!(config.title.starts_with("modkit-"), "{}", config.title);
    }

    #[test]
    fn durations_are_read_with_units_and_unknown_keys_refused() {
        let config: ApiGatewayConfig = serde_json::from_value(serde_json::json!({
            "request_timeout": "250ms",
            "cors": { "allowed_origins": ["*"], "max_age": "10m" },
        }))
        .unwrap();
        assert_eq!(config.request_timeout, Duration::from_millis(250));
        assert_eq!(config.cors.unwrap().max_age, Some(Duration::from_secs(600)));
        let error = serde_json::from_value::<ApiGatewayConfig>(serde_json::json!({
            "bind_address": "127.0.0.1:0",
        }))
        .unwrap_err();
        assert!(error.to_string().contains("bind_address"), "{error}");
    }
}
