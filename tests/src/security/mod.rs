//! Fixtures of the security tests: signing keys generated at run time ([`TestSigner`]),
//! a JWKS / OIDC discovery server on loopback ([`JwksServer`]) and a REST module whose
//! handlers count their calls and report who called ([`SecureApi`]).

mod jwks_server;
mod secure_api;
mod signer;

pub use jwks_server::JwksServer;
pub use secure_api::{CallerApi, SecureApi, Whoami};
pub use signer::{AUDIENCE, ISSUER, TestSigner, claims, jwks, now};

/// The module config of a host whose gateway authenticates with the test issuer and
/// audience and takes its keys from `key_source` (`{"jwks_file": ..}`, `{"jwks_url": ..}`
/// or `{"oidc_discovery_url": ..}`); `extra` is merged into `auth.jwt`.
pub fn auth_modules(key_source: serde_json::Value, extra: serde_json::Value) -> serde_json::Value {
    let mut jwt = serde_json::json!({
        "issuer": ISSUER,
        "audiences": [AUDIENCE],
        "leeway": "0s",
    });
    for (key, value) in key_source
        .as_object()
        .into_iter()
        .chain(extra.as_object())
        .flatten()
    {
        jwt[key] = value.clone();
    }
    serde_json::json!({ "api-gateway": { "config": { "auth": { "jwt": jwt } } } })
}

/// Writes `jwks` to a fresh file under the system's temp dir and returns its path.
///
/// # Panics
/// If the file cannot be written.
pub fn jwks_file(name: &str, jwks: &serde_json::Value) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("modkit-{name}-{}.json", std::process::id()));
    std::fs::write(&path, jwks.to_string()).expect("the JWKS file is written");
    path
}
