//! `modules.api-gateway.config.auth`: how callers are authenticated.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::config::{ConfigDuration, ConfigTimeout};

/// `auth`: bearer tokens (JWTs) every operation needs unless it is `.public()`.
///
/// Without this section the gateway serves every route to anyone (and says so in a
/// warning at start-up).
///
/// ```yaml
/// modules:
///   api-gateway:
///     config:
///       auth:
///         protect_docs: false
///         jwt:
///           issuer: https://login.example.com/
///           audiences: [notes-api]
///           algorithms: [RS256, ES256, EdDSA]
///           leeway: 30s
///           oidc_discovery_url: https://login.example.com/.well-known/openid-configuration
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// How bearer tokens are verified.
    pub jwt: JwtConfig,
    /// Whether `/openapi.json` and `/docs` need a valid token too (default: no, they are
    /// public; `/healthz` and `/readyz` always are).
    #[serde(default)]
    pub protect_docs: bool,
    /// The `realm` of the `WWW-Authenticate` challenge (default `modkit`).
    #[serde(default = "default_realm")]
    pub realm: String,
}

/// `auth.jwt`: which tokens are accepted and where their keys come from (exactly one of
/// `jwks_file`, `jwks_url`, `oidc_discovery_url`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwtConfig {
    /// The `iss` every token must carry.
    pub issuer: String,
    /// Accepted `aud` values; a token must name at least one (at least one is required).
    pub audiences: Vec<String>,
    /// Accepted signature algorithms (default: all three of `RS256`, `ES256`, `EdDSA`).
    /// `none` and the HMAC algorithms (`HS256`, ...) are refused when the config is read.
    #[serde(default = "default_algorithms")]
    pub algorithms: Vec<JwtAlgorithm>,
    /// Clock skew tolerated on `exp` and `nbf` (default `60s`).
    #[serde(default = "default_leeway", deserialize_with = "duration")]
    pub leeway: Duration,
    /// A JWKS document on disk, read at start-up and again (at most every
    /// `min_refresh_interval`) when a token names a key it does not have.
    #[serde(default)]
    pub jwks_file: Option<PathBuf>,
    /// A JWKS document served by the issuer (`https://`, or `http://` to a loopback host).
    #[serde(default)]
    pub jwks_url: Option<String>,
    /// An OpenID Connect discovery document whose `jwks_uri` names the keys; its `issuer`
    /// must equal [`issuer`](Self::issuer).
    #[serde(default)]
    pub oidc_discovery_url: Option<String>,
    /// How often keys from a URL are fetched again (default `10m`).
    #[serde(default = "default_refresh", deserialize_with = "timeout")]
    pub refresh_interval: Duration,
    /// The least time between two fetches prompted by unknown key ids (default `5s`), so
    /// that a flood of made-up `kid`s cannot hammer the issuer.
    #[serde(default = "default_min_refresh", deserialize_with = "duration")]
    pub min_refresh_interval: Duration,
    /// The claim holding the caller's tenant (default `tenant_id`).
    #[serde(default = "default_tenant_claim")]
    pub tenant_claim: String,
    /// The claim holding the caller's roles, as a dotted path into nested objects
    /// (`roles`, or Keycloak's `realm_access.roles`): an array of strings or a space
    /// separated string. Unset (the default): callers have no roles.
    #[serde(default)]
    pub roles_claim: Option<String>,
    /// How many verified tokens are remembered (by their SHA-256) until they expire
    /// (default 10000; 0 turns the cache off).
    #[serde(default = "default_cache_size")]
    pub token_cache_size: usize,
    /// The longest token accepted, in bytes (default 8192); longer ones are refused
    /// without being decoded.
    #[serde(default = "default_max_token_bytes")]
    pub max_token_bytes: usize,
}

/// A signature algorithm a token may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JwtAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (an `RSA` key).
    Rs256,
    /// ECDSA on P-256 with SHA-256 (an `EC` key on `P-256`).
    Es256,
    /// Ed25519 (an `OKP` key on `Ed25519`).
    EdDsa,
}

impl JwtAlgorithm {
    /// The name tokens and config use (`RS256`, `ES256`, `EdDSA`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Es256 => "ES256",
            Self::EdDsa => "EdDSA",
        }
    }

    pub(super) fn from_jsonwebtoken(algorithm: jsonwebtoken::Algorithm) -> Option<Self> {
        match algorithm {
            jsonwebtoken::Algorithm::RS256 => Some(Self::Rs256),
            jsonwebtoken::Algorithm::ES256 => Some(Self::Es256),
            jsonwebtoken::Algorithm::EdDSA => Some(Self::EdDsa),
            _ => None,
        }
    }

    pub(super) fn to_jsonwebtoken(self) -> jsonwebtoken::Algorithm {
        match self {
            Self::Rs256 => jsonwebtoken::Algorithm::RS256,
            Self::Es256 => jsonwebtoken::Algorithm::ES256,
            Self::EdDsa => jsonwebtoken::Algorithm::EdDSA,
        }
    }
}

impl fmt::Display for JwtAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl<'de> Deserialize<'de> for JwtAlgorithm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        parse_algorithm(&name).map_err(serde::de::Error::custom)
    }
}

const KEY: &str = "modules.api-gateway.config.auth.jwt";

fn parse_algorithm(name: &str) -> Result<JwtAlgorithm, String> {
    match name {
        "RS256" => Ok(JwtAlgorithm::Rs256),
        "ES256" => Ok(JwtAlgorithm::Es256),
        "EdDSA" => Ok(JwtAlgorithm::EdDsa),
        _ if name.eq_ignore_ascii_case("none") => Err(format!(
            "`{KEY}.algorithms`: `{name}` means unsigned tokens and is never accepted; \
             use `RS256`, `ES256` or `EdDSA`"
        )),
        _ if name.to_ascii_uppercase().starts_with("HS") => Err(format!(
            "`{KEY}.algorithms`: `{name}` is an HMAC algorithm (a shared secret) and is never \
             accepted: with public keys anyone could sign tokens; use `RS256`, `ES256` or `EdDSA`"
        )),
        _ => Err(format!(
            "`{KEY}.algorithms`: unsupported algorithm `{name}`; use `RS256`, `ES256` or `EdDSA`"
        )),
    }
}

/// Where the keys come from: the one source the config names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeySourceConfig {
    File(PathBuf),
    Url(reqwest::Url),
    Discovery(reqwest::Url),
}

impl JwtConfig {
    /// Refuses a section the gateway cannot serve, naming the key.
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.issuer.is_empty() {
            return Err(format!("`{KEY}.issuer` must not be empty"));
        }
        if self.audiences.is_empty() || self.audiences.iter().any(String::is_empty) {
            return Err(format!(
                "`{KEY}.audiences` must name at least one audience, none of them empty"
            ));
        }
        if self.algorithms.is_empty() {
            return Err(format!(
                "`{KEY}.algorithms` must name at least one algorithm"
            ));
        }
        if self.max_token_bytes == 0 {
            return Err(format!("`{KEY}.max_token_bytes` must be above zero"));
        }
        self.key_source().map(|_| ())
    }

    /// The one key source, checked.
    pub(crate) fn key_source(&self) -> Result<KeySourceConfig, String> {
        match (&self.jwks_file, &self.jwks_url, &self.oidc_discovery_url) {
            (Some(file), None, None) => Ok(KeySourceConfig::File(file.clone())),
            (None, Some(url), None) => Ok(KeySourceConfig::Url(checked_url("jwks_url", url)?)),
            (None, None, Some(url)) => Ok(KeySourceConfig::Discovery(checked_url(
                "oidc_discovery_url",
                url,
            )?)),
            (None, None, None) => Err(format!(
                "`{KEY}` needs a key source: one of `jwks_file`, `jwks_url`, `oidc_discovery_url`"
            )),
            _ => Err(format!(
                "`{KEY}` names more than one key source; keep exactly one of `jwks_file`, \
                 `jwks_url`, `oidc_discovery_url`"
            )),
        }
    }
}

/// `url` parsed; `https`, or `http` only to a loopback host (keys fetched in the clear from
/// elsewhere could be replaced on the way).
pub(crate) fn checked_url(key: &str, url: &str) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|error| format!("`{KEY}.{key}`: `{url}` is not a URL ({error})"))?;
    let loopback = parsed.host_str().is_some_and(|host| {
        host == "localhost"
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    });
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        _ => Err(format!(
            "`{KEY}.{key}`: `{url}` must be an `https://` URL (`http://` only to a loopback host)"
        )),
    }
}

fn default_realm() -> String {
    "modkit".to_owned()
}

fn default_algorithms() -> Vec<JwtAlgorithm> {
    vec![
        JwtAlgorithm::Rs256,
        JwtAlgorithm::Es256,
        JwtAlgorithm::EdDsa,
    ]
}

fn default_leeway() -> Duration {
    Duration::from_secs(60)
}

fn default_refresh() -> Duration {
    Duration::from_secs(600)
}

fn default_min_refresh() -> Duration {
    Duration::from_secs(5)
}

fn default_tenant_claim() -> String {
    "tenant_id".to_owned()
}

fn default_cache_size() -> usize {
    10_000
}

fn default_max_token_bytes() -> usize {
    8192
}

fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    ConfigDuration::deserialize(deserializer).map(|d| d.0)
}

fn timeout<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    ConfigTimeout::deserialize(deserializer).map(Duration::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(jwt: serde_json::Value) -> Result<JwtConfig, String> {
        let config: JwtConfig = serde_json::from_value(jwt).map_err(|e| e.to_string())?;
        config.check()?;
        Ok(config)
    }

    fn base() -> serde_json::Value {
        serde_json::json!({
            "issuer": "https://issuer.example",
            "audiences": ["api"],
            "jwks_file": "/etc/keys.json",
        })
    }

    #[test]
    fn none_and_hmac_are_refused_naming_the_key() {
        for (name, expected) in [("none", "unsigned"), ("HS256", "HMAC"), ("hs512", "HMAC")] {
            let mut jwt = base();
            jwt["algorithms"] = serde_json::json!(["RS256", name]);
            let error = read(jwt).unwrap_err();
            assert!(error.contains(&format!("`{KEY}.algorithms`")), "{error}");
            assert!(error.contains(expected), "{error}");
        }
        let mut jwt = base();
        jwt["algorithms"] = serde_json::json!(["PS256"]);
        assert!(
            read(jwt)
                .unwrap_err()
                .contains("unsupported algorithm `PS256`")
        );
    }

    #[test]
    fn exactly_one_key_source_is_required() {
        let mut jwt = base();
        jwt["jwks_url"] = serde_json::json!("https://issuer.example/keys");
        assert!(read(jwt).unwrap_err().contains("more than one key source"));
        let mut jwt = base();
        jwt.as_object_mut().unwrap().remove("jwks_file");
        assert!(read(jwt).unwrap_err().contains("needs a key source"));
    }

    #[test]
    fn key_urls_must_be_https_unless_loopback() {
        assert!(checked_url("jwks_url", "https://issuer.example/k").is_ok());
        assert!(checked_url("jwks_url", "http://127.0.0.1:9/k").is_ok());
        assert!(checked_url("jwks_url", "http://localhost/k").is_ok());
        let error = checked_url("jwks_url", "http://issuer.example/k").unwrap_err();
        assert!(error.contains("`https://`"), "{error}");
        assert!(error.contains(".jwks_url`"), "{error}");
    }

    #[test]
    fn defaults_are_filled_in() {
        let config = read(base()).unwrap();
        assert_eq!(config.algorithms.len(), 3);
        assert_eq!(config.leeway, Duration::from_secs(60));
        assert_eq!(config.min_refresh_interval, Duration::from_secs(5));
        assert_eq!(config.tenant_claim, "tenant_id");
    }
}
