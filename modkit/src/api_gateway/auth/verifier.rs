//! Verifying a bearer token: its form, algorithm, key, signature and claims, into a
//! [`SecurityContext`]; verified tokens are remembered until they expire.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::Validation;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::config::{JwtAlgorithm, JwtConfig};
use super::error::{AuthError, KeyError};
use super::keys::KeyStore;
use crate::security::SecurityContext;

type Claims = Map<String, Value>;

/// Verifies bearer tokens as the gateway does: against the configured issuer, audiences,
/// algorithms and keys, remembering verified tokens until they expire. The gateway builds
/// one from `auth.jwt`; build your own to check tokens elsewhere (a tool, a benchmark).
///
/// ```no_run
/// # async fn demo(config: modkit::api_gateway::JwtConfig, token: &str) -> anyhow::Result<()> {
/// use modkit::api_gateway::TokenVerifier;
///
/// let verifier = TokenVerifier::new(&config)?;
/// verifier.load_keys().await?;
/// let caller = verifier.verify(token).await?;
/// println!("{} calls", caller.subject());
/// # Ok(())
/// # }
/// ```
pub struct TokenVerifier {
    keys: KeyStore,
    /// One validation per accepted algorithm (`jsonwebtoken` wants the key's family alone).
    validations: Vec<(JwtAlgorithm, Validation)>,
    tenant_claim: String,
    roles_claim: Option<String>,
    max_token_bytes: usize,
    cache: TokenCache,
    refresh_interval: Duration,
}

impl TokenVerifier {
    /// A verifier for `config` (checked), with no keys yet: call
    /// [`load_keys`](Self::load_keys).
    pub fn new(config: &JwtConfig) -> Result<Self, KeyError> {
        config.check().map_err(KeyError::Config)?;
        let validations = config
            .algorithms
            .iter()
            .map(|&algorithm| (algorithm, validation(config, algorithm)))
            .collect();
        Ok(Self {
            keys: KeyStore::new(config)?,
            validations,
            tenant_claim: config.tenant_claim.clone(),
            roles_claim: config.roles_claim.clone(),
            max_token_bytes: config.max_token_bytes,
            cache: TokenCache::new(config.token_cache_size),
            refresh_interval: config.refresh_interval,
        })
    }

    /// Loads (or reloads) the keys now; the number of usable keys.
    pub async fn load_keys(&self) -> Result<usize, KeyError> {
        self.keys.refresh().await
    }

    /// Fetches keys from a URL every `refresh_interval`, until dropped (a `jwks_file` is
    /// read again only for unknown key ids).
    pub(crate) async fn refresh_periodically(&self) {
        if !self.keys.is_remote() {
            return;
        }
        loop {
            tokio::time::sleep(self.refresh_interval).await;
            if let Err(error) = self.keys.refresh().await {
                tracing::warn!(%error, "cannot refresh the token signing keys");
            }
        }
    }

    /// The caller `token` (the part after `Bearer `) stands for, or why it is refused.
    pub async fn verify(&self, token: &str) -> Result<SecurityContext, AuthError> {
        if token.len() > self.max_token_bytes {
            return Err(AuthError::TooLong);
        }
        if !well_formed(token) {
            return Err(AuthError::Malformed);
        }
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let now = unix_now();
        if let Some(context) = self.cache.get(&digest, now) {
            return Ok(context);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::Malformed)?;
        let algorithm = JwtAlgorithm::from_jsonwebtoken(header.alg)
            .filter(|algorithm| self.validations.iter().any(|(a, _)| a == algorithm))
            .ok_or(AuthError::Algorithm)?;
        let kid = header.kid.as_deref();
        let mut keys = self.keys.find(kid, algorithm);
        if keys.is_empty() && self.keys.refresh_if_stale().await {
            keys = self.keys.find(kid, algorithm);
        }
        if keys.is_empty() {
            return Err(AuthError::UnknownKey);
        }
        let validation = self
            .validations
            .iter()
            .find_map(|(a, validation)| (*a == algorithm).then_some(validation))
            .ok_or(AuthError::Algorithm)?;
        let mut refusal = AuthError::Signature;
        for key in keys {
            match jsonwebtoken::decode::<Claims>(token, &key.decoding, validation) {
                Ok(data) => {
                    let (context, expires) = self.context(&data.claims)?;
                    self.cache.insert(digest, context.clone(), expires, now);
                    return Ok(context);
                }
                Err(error) => refusal = AuthError::from_jsonwebtoken(&error),
            }
        }
        Err(refusal)
    }

    /// The context of verified `claims`, and its expiry (seconds since the epoch).
    fn context(&self, claims: &Claims) -> Result<(SecurityContext, u64), AuthError> {
        let subject = claims
            .get("sub")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or(AuthError::Claims)?;
        let expires = claims
            .get("exp")
            .and_then(Value::as_u64)
            .ok_or(AuthError::Claims)?;
        let mut context = SecurityContext::new(subject)
            .with_scopes(scopes(claims))
            .with_expiry(UNIX_EPOCH + Duration::from_secs(expires));
        if let Some(tenant) = claims.get(&self.tenant_claim).and_then(Value::as_str) {
            context = context.with_tenant(tenant);
        }
        if let Some(path) = &self.roles_claim {
            context = context.with_roles(roles(claims, path));
        }
        if let Some(jti) = claims.get("jti").and_then(Value::as_str) {
            context = context.with_token_id(jti);
        }
        Ok((context, expires))
    }
}

impl std::fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenVerifier")
            .field(
                "algorithms",
                &self.validations.iter().map(|(a, _)| a).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

fn validation(config: &JwtConfig, algorithm: JwtAlgorithm) -> Validation {
    let mut validation = Validation::new(algorithm.to_jsonwebtoken());
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.set_issuer(&[&config.issuer]);
    validation.set_audience(&config.audiences);
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.validate_aud = true;
    validation.leeway = config.leeway.as_secs();
    validation
}

/// Three non-empty base64url parts: anything else is refused before it is decoded.
fn well_formed(token: &str) -> bool {
    let mut parts = 0;
    for part in token.split('.') {
        parts += 1;
        if part.is_empty()
            || !part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return false;
        }
    }
    parts == 3
}

/// `scope` (space separated, OAuth 2) or `scp` (an array or a string, as some issuers
/// write it).
fn scopes(claims: &Claims) -> Vec<String> {
    let split = |text: &str| text.split_whitespace().map(str::to_owned).collect();
    match (claims.get("scope"), claims.get("scp")) {
        (Some(Value::String(text)), _) | (None, Some(Value::String(text))) => split(text),
        (_, Some(Value::Array(items))) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// The roles at the dotted `path` (`realm_access.roles`): an array of strings or a space
/// separated string; anything else is no roles.
fn roles(claims: &Claims, path: &str) -> Vec<String> {
    let mut parts = path.split('.');
    let first = parts.next().and_then(|name| claims.get(name));
    let value = parts.try_fold(first, |value, name| Some(value?.get(name)));
    match value.flatten() {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(text)) => text.split_whitespace().map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Verified tokens by their SHA-256, until they expire; at most `capacity` of them.
struct TokenCache {
    capacity: usize,
    entries: Mutex<HashMap<[u8; 32], (SecurityContext, u64)>>,
}

impl TokenCache {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, digest: &[u8; 32], now: u64) -> Option<SecurityContext> {
        if self.capacity == 0 {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (context, expires) = entries.get(digest)?;
        (*expires > now).then(|| context.clone())
    }

    fn insert(&self, digest: [u8; 32], context: SecurityContext, expires: u64, now: u64) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity {
            entries.retain(|_, (_, expires)| *expires > now);
        }
        if entries.len() >= self.capacity {
            // Still full of live tokens: forget half of them (each costs one verification
            // when it comes back).
            let forget: Vec<[u8; 32]> = entries
                .keys()
                .take(self.capacity / 2 + 1)
                .copied()
                .collect();
            for key in forget {
                entries.remove(&key);
            }
        }
        entries.insert(digest, (context, expires));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_three_base64url_parts_are_well_formed() {
        assert!(well_formed("eyJh.eyJi.c2ln"));
        for bad in [
            "eyJh.eyJi",
            "eyJh.eyJi.c2ln.more",
            "eyJh..c2ln",
            "ey+h.eyJi.c2ln",
            "eyJh.eyJi.c2l=",
            "",
        ] {
            assert!(!well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn roles_are_found_at_a_dotted_path() {
        let token = serde_json::json!({
            "roles": ["admin", "editor"],
            "realm_access": { "roles": ["viewer"] },
            "flat": "a b",
            "odd": { "roles": 3 },
        });
        let token = token.as_object().unwrap();
        assert_eq!(roles(token, "roles"), ["admin", "editor"]);
        assert_eq!(roles(token, "realm_access.roles"), ["viewer"]);
        assert_eq!(roles(token, "flat"), ["a", "b"]);
        assert!(roles(token, "odd.roles").is_empty());
        assert!(roles(token, "realm_access.missing").is_empty());
        assert!(roles(token, "roles.deeper").is_empty());
    }

    #[test]
    fn scopes_come_from_scope_or_scp() {
        let claims = |value: Value| value.as_object().unwrap().clone();
        assert_eq!(
            scopes(&claims(serde_json::json!({"scope": "a  b"}))),
            ["a", "b"]
        );
        assert_eq!(
            scopes(&claims(serde_json::json!({"scp": ["a", "b"]}))),
            ["a", "b"]
        );
        assert_eq!(scopes(&claims(serde_json::json!({"scp": "a"}))), ["a"]);
        assert!(scopes(&claims(serde_json::json!({"scope": 3}))).is_empty());
    }

    #[test]
    fn the_cache_forgets_expired_tokens_and_stays_bounded() {
        let cache = TokenCache::new(4);
        let context = SecurityContext::new("a");
        cache.insert([1; 32], context.clone(), 100, 50);
        assert_eq!(cache.get(&[1; 32], 99), Some(context.clone()));
        assert_eq!(cache.get(&[1; 32], 100), None, "expired");
        for i in 2..20 {
            cache.insert([i; 32], context.clone(), 1000, 50);
        }
        assert!(cache.entries.lock().unwrap().len() <= 4);
    }
}
