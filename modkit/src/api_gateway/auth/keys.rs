//! The issuer's public keys: read from a JWKS file, a JWKS URL or an OIDC discovery
//! document; kept in memory and swapped whole when fetched again.
//!
//! A fetch happens at start-up, every `refresh_interval` (URLs only), and when a token
//! names a key id that is not known, but never sooner than `min_refresh_interval` after the
//! previous one: a flood of made-up `kid`s costs the issuer at most one fetch per interval.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use tokio::time::Instant;

use super::config::{JwtAlgorithm, JwtConfig, KeySourceConfig, checked_url};
use super::error::KeyError;

/// The largest JWKS or discovery document read.
const DOCUMENT_LIMIT: usize = 1 << 20;
/// How long one fetch may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// One usable public key.
pub(super) struct Key {
    pub(super) algorithm: JwtAlgorithm,
    pub(super) decoding: DecodingKey,
}

/// The keys of one fetch, by key id (keys without one under `None`).
#[derive(Default)]
struct KeySet {
    by_id: HashMap<Option<String>, Vec<Arc<Key>>>,
}

impl KeySet {
    /// The keys usable for `algorithm` under `kid` (or, for a token without a `kid`, every
    /// key of that algorithm).
    fn find(&self, kid: Option<&str>, algorithm: JwtAlgorithm) -> Vec<Arc<Key>> {
        let matching = |keys: &Vec<Arc<Key>>| {
            keys.iter()
                .filter(|key| key.algorithm == algorithm)
                .cloned()
                .collect::<Vec<_>>()
        };
        match kid {
            Some(kid) => self
                .by_id
                .get(&Some(kid.to_owned()))
                .map(matching)
                .unwrap_or_default(),
            None => self.by_id.values().flat_map(matching).collect(),
        }
    }

    fn len(&self) -> usize {
        self.by_id.values().map(Vec::len).sum()
    }
}

/// The keys and how to fetch them again.
pub(super) struct KeyStore {
    source: KeySourceConfig,
    issuer: String,
    algorithms: Vec<JwtAlgorithm>,
    min_interval: Duration,
    keys: ArcSwap<KeySet>,
    /// When the last fetch was tried (`None`: never); held while fetching, so that
    /// concurrent callers wait for that fetch rather than start their own.
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
    client: reqwest::Client,
}

impl KeyStore {
    pub(super) fn new(config: &JwtConfig) -> Result<Self, KeyError> {
        let source = config.key_source().map_err(KeyError::Config)?;
        let client = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            // A redirect could lead a key fetch away from `https`.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| KeyError::Client(error.to_string()))?;
        Ok(Self {
            source,
            issuer: config.issuer.clone(),
            algorithms: config.algorithms.clone(),
            min_interval: config.min_refresh_interval,
            keys: ArcSwap::default(),
            last_fetch: tokio::sync::Mutex::new(None),
            client,
        })
    }

    /// Whether keys come from a URL (and so are fetched on a schedule).
    pub(super) fn is_remote(&self) -> bool {
        !matches!(self.source, KeySourceConfig::File(_))
    }

    /// The keys usable for `algorithm` under `kid`.
    pub(super) fn find(&self, kid: Option<&str>, algorithm: JwtAlgorithm) -> Vec<Arc<Key>> {
        self.keys.load().find(kid, algorithm)
    }

    /// Fetches the keys now and swaps them in; on failure the old keys stay.
    pub(super) async fn refresh(&self) -> Result<usize, KeyError> {
        let mut last = self.last_fetch.lock().await;
        self.fetch_locked(&mut last).await
    }

    /// Fetches the keys unless the last fetch was less than `min_refresh_interval` ago;
    /// `true` if the keys may have changed since the caller looked.
    pub(super) async fn refresh_if_stale(&self) -> bool {
        let seen = Instant::now();
        let mut last = self.last_fetch.lock().await;
        match *last {
            // Someone fetched while this caller waited for the lock: look again.
            Some(at) if at >= seen => true,
            Some(at) if at.elapsed() < self.min_interval => false,
            _ => match self.fetch_locked(&mut last).await {
                Ok(_) => true,
                Err(error) => {
                    tracing::warn!(%error, "cannot refresh the token signing keys");
                    false
                }
            },
        }
    }

    async fn fetch_locked(&self, last: &mut Option<Instant>) -> Result<usize, KeyError> {
        *last = Some(Instant::now());
        let document = match &self.source {
            KeySourceConfig::File(path) => {
                let bytes = tokio::fs::read(path)
                    .await
                    .map_err(|source| KeyError::File {
                        path: path.clone(),
                        source,
                    })?;
                parse_json(&bytes, &path.display().to_string())?
            }
            KeySourceConfig::Url(url) => self.get_json(url.clone()).await?,
            KeySourceConfig::Discovery(url) => {
                let discovery = self.get_json(url.clone()).await?;
                let jwks_uri = self.jwks_uri(url, &discovery)?;
                self.get_json(jwks_uri).await?
            }
        };
        let set = self.key_set(&document)?;
        let count = set.len();
        self.keys.store(Arc::new(set));
        tracing::debug!(keys = count, "token signing keys loaded");
        Ok(count)
    }

    /// The discovery document's `jwks_uri`, after checking that it is for our issuer.
    fn jwks_uri(
        &self,
        url: &reqwest::Url,
        discovery: &serde_json::Value,
    ) -> Result<reqwest::Url, KeyError> {
        let from = url.to_string();
        let issuer = discovery["issuer"].as_str().unwrap_or_default();
        if issuer != self.issuer {
            return Err(KeyError::Document {
                from,
                reason: format!(
                    "its `issuer` is `{issuer}`, not the configured `{}`",
                    self.issuer
                ),
            });
        }
        let jwks_uri = discovery["jwks_uri"]
            .as_str()
            .ok_or_else(|| KeyError::Document {
                from: from.clone(),
                reason: "it has no `jwks_uri`".to_owned(),
            })?;
        checked_url("oidc_discovery_url", jwks_uri)
            .map_err(|reason| KeyError::Document { from, reason })
    }

    async fn get_json(&self, url: reqwest::Url) -> Result<serde_json::Value, KeyError> {
        let from = url.to_string();
        let fetch_error = |error: reqwest::Error| KeyError::Fetch {
            from: from.clone(),
            reason: error.to_string(),
        };
        let mut response = self
            .client
            .get(url)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(fetch_error)?;
        if !response.status().is_success() {
            return Err(KeyError::Fetch {
                from,
                reason: format!("answered {}", response.status()),
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(fetch_error)? {
            if body.len() + chunk.len() > DOCUMENT_LIMIT {
                return Err(KeyError::Fetch {
                    from,
                    reason: format!("the document is larger than {DOCUMENT_LIMIT} bytes"),
                });
            }
            body.extend_from_slice(&chunk);
        }
        parse_json(&body, &from)
    }

    /// The usable keys of a JWKS document: signature keys of a configured algorithm.
    /// A key of another kind (`oct`, encryption, an unknown `kty`) is skipped, not an error.
    fn key_set(&self, document: &serde_json::Value) -> Result<KeySet, KeyError> {
        let keys = document["keys"]
            .as_array()
            .ok_or_else(|| KeyError::Document {
                from: self.source_name(),
                reason: "it has no `keys` array".to_owned(),
            })?;
        let mut set = KeySet::default();
        for value in keys {
            let Ok(jwk) = serde_json::from_value::<Jwk>(value.clone()) else {
                tracing::debug!(key = %value, "skipping a JWK of a kind modkit does not use");
                continue;
            };
            if let Some(key) = usable_key(&jwk, &self.algorithms) {
                set.by_id
                    .entry(jwk.common.key_id.clone())
                    .or_default()
                    .push(Arc::new(key));
            }
        }
        Ok(set)
    }

    fn source_name(&self) -> String {
        match &self.source {
            KeySourceConfig::File(path) => path.display().to_string(),
            KeySourceConfig::Url(url) | KeySourceConfig::Discovery(url) => url.to_string(),
        }
    }
}

/// `jwk` as a key for one of `algorithms`, if it is a signature key of one.
fn usable_key(jwk: &Jwk, algorithms: &[JwtAlgorithm]) -> Option<Key> {
    if matches!(
        jwk.common.public_key_use,
        Some(PublicKeyUse::Encryption | PublicKeyUse::Other(_))
    ) {
        return None;
    }
    let algorithm = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => JwtAlgorithm::Rs256,
        AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {
            JwtAlgorithm::Es256
        }
        AlgorithmParameters::OctetKeyPair(okp) if okp.curve == EllipticCurve::Ed25519 => {
            JwtAlgorithm::EdDsa
        }
        // Symmetric keys are never used (they would let token holders sign), nor curves
        // modkit does not verify.
        _ => return None,
    };
    let declared = jwk.common.key_algorithm;
    let agrees = match declared {
        None => true,
        Some(KeyAlgorithm::RS256) => algorithm == JwtAlgorithm::Rs256,
        Some(KeyAlgorithm::ES256) => algorithm == JwtAlgorithm::Es256,
        Some(KeyAlgorithm::EdDSA) => algorithm == JwtAlgorithm::EdDsa,
        Some(_) => false,
    };
    if !agrees || !algorithms.contains(&algorithm) {
        return None;
    }
    let decoding = DecodingKey::from_jwk(jwk).ok()?;
    Some(Key {
        algorithm,
        decoding,
    })
}

fn parse_json(bytes: &[u8], from: &str) -> Result<serde_json::Value, KeyError> {
    serde_json::from_slice(bytes).map_err(|error| KeyError::Document {
        from: from.to_owned(),
        reason: format!("it is not JSON ({error})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwk(value: serde_json::Value) -> Jwk {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn symmetric_encryption_and_unconfigured_keys_are_skipped() {
        let all = [
            JwtAlgorithm::Rs256,
            JwtAlgorithm::Es256,
            JwtAlgorithm::EdDsa,
        ];
        let oct = jwk(serde_json::json!({ "kty": "oct", "k": "c2VjcmV0" }));
        assert!(usable_key(&oct, &all).is_none());
        let ed = serde_json::json!({
            "kty": "OKP", "crv": "Ed25519",
            "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
        });
        assert!(usable_key(&jwk(ed.clone()), &all).is_some());
        assert!(usable_key(&jwk(ed.clone()), &[JwtAlgorithm::Rs256]).is_none());
        let mut encryption = ed.clone();
        encryption["use"] = serde_json::json!("enc");
        assert!(usable_key(&jwk(encryption), &all).is_none());
        let mut mislabelled = ed;
        mislabelled["alg"] = serde_json::json!("RS256");
        assert!(usable_key(&jwk(mislabelled), &all).is_none());
    }
}
