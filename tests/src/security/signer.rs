//! [`TestSigner`]: a key pair of one algorithm, generated when the test runs, that signs
//! tokens and describes its public half as a JWK.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

/// The issuer the security tests configure.
pub const ISSUER: &str = "https://issuer.test";
/// The audience the security tests configure.
pub const AUDIENCE: &str = "modkit-tests";

/// A private key of one algorithm with its key id.
pub struct TestSigner {
    algorithm: Algorithm,
    kid: String,
    encoding: EncodingKey,
    jwk: Value,
}

impl std::fmt::Debug for TestSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestSigner")
            .field("algorithm", &self.algorithm)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl TestSigner {
    /// A fresh 2048-bit RSA key (RS256).
    ///
    /// # Panics
    /// If the key cannot be generated.
    pub fn rs256(kid: &str) -> Self {
        let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("RSA key");
        let der = key.to_pkcs1_der().expect("PKCS#1 DER");
        let jwk = json!({
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
        });
        Self {
            algorithm: Algorithm::RS256,
            kid: kid.to_owned(),
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            jwk,
        }
    }

    /// A fresh P-256 key (ES256).
    ///
    /// # Panics
    /// If the key cannot be generated.
    pub fn es256(kid: &str) -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .expect("P-256 key");
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .expect("P-256 key pair");
        // An uncompressed point: 0x04, then x and y of 32 bytes each.
        let point = pair.public_key().as_ref();
        let jwk = json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        });
        Self {
            algorithm: Algorithm::ES256,
            kid: kid.to_owned(),
            encoding: EncodingKey::from_ec_der(pkcs8.as_ref()),
            jwk,
        }
    }

    /// A fresh Ed25519 key (EdDSA).
    ///
    /// # Panics
    /// If the key cannot be generated.
    pub fn eddsa(kid: &str) -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).expect("Ed25519 key");
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("Ed25519 key pair");
        let jwk = json!({
            "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(pair.public_key().as_ref()),
        });
        Self {
            algorithm: Algorithm::EdDSA,
            kid: kid.to_owned(),
            encoding: EncodingKey::from_ed_der(pkcs8.as_ref()),
            jwk,
        }
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> &Value {
        &self.jwk
    }

    /// The key id.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// `claims` signed with this key, under its `kid`.
    ///
    /// # Panics
    /// If signing fails.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_with_kid(claims, Some(&self.kid))
    }

    /// `claims` signed with this key, under `kid` (or none).
    ///
    /// # Panics
    /// If signing fails.
    pub fn sign_with_kid(&self, claims: &Value, kid: Option<&str>) -> String {
        let mut header = Header::new(self.algorithm);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("signed token")
    }
}

/// A JWKS document of `signers`' public keys.
pub fn jwks(signers: &[&TestSigner]) -> Value {
    json!({ "keys": signers.iter().map(|s| s.jwk().clone()).collect::<Vec<_>>() })
}

/// Seconds since the Unix epoch.
///
/// # Panics
/// If the clock is before 1970.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs()
}

/// Valid claims for `subject`: the test issuer and audience, valid for ten minutes, with
/// `scope`, tenant `acme` and a `jti`.
pub fn claims(subject: &str, scope: &str) -> Value {
    json!({
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": subject,
        "exp": now() + 600,
        "nbf": now() - 5,
        "iat": now(),
        "scope": scope,
        "tenant_id": "acme",
        "jti": format!("jti-{subject}"),
    })
}
