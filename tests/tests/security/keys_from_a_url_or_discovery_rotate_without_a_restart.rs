//! Keys fetched from a JWKS URL or through OIDC discovery (from a server on loopback): a
//! rotated key is picked up without a restart, and a flood of unknown key ids cannot make
//! the gateway fetch the keys more than once per `min_refresh_interval`.

use modkit::registry::RegistryBuilder;
use modkit_tests::ServedHost;
use modkit_tests::security::{
    ISSUER, JwksServer, SecureApi, TestSigner, auth_modules, claims, jwks,
};
use reqwest::StatusCode;
use serde_json::json;

async fn status(host: &ServedHost, token: &str) -> StatusCode {
    host.client()
        .get(host.url("/secure/whoami"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

async fn rotation_is_picked_up(key_source: impl Fn(&JwksServer) -> serde_json::Value) {
    let old = TestSigner::eddsa("2025-key");
    let new = TestSigner::es256("2026-key");
    let server = JwksServer::start(ISSUER, jwks(&[&old])).await;
    let mut builder = RegistryBuilder::default();
    SecureApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        auth_modules(key_source(&server), json!({ "min_refresh_interval": "0s" })),
    )
    .await;
    assert_eq!(
        status(&host, &old.sign(&claims("a", ""))).await,
        StatusCode::OK
    );
    assert_eq!(
        status(&host, &new.sign(&claims("b", ""))).await,
        StatusCode::UNAUTHORIZED,
        "not served yet"
    );

    server.set_keys(jwks(&[&new]));
    assert_eq!(
        status(&host, &new.sign(&claims("c", ""))).await,
        StatusCode::OK,
        "the new key is fetched when a token names it"
    );
    assert_eq!(
        status(&host, &old.sign(&claims("d", ""))).await,
        StatusCode::UNAUTHORIZED,
        "the retired key is gone"
    );
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_is_picked_up_from_the_jwks_url() {
    rotation_is_picked_up(|server| json!({ "jwks_url": server.jwks_url() })).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_is_picked_up_through_oidc_discovery() {
    rotation_is_picked_up(|server| json!({ "oidc_discovery_url": server.discovery_url() })).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_unknown_key_ids_fetches_the_keys_at_most_once_per_interval() {
    let signer = TestSigner::rs256("known");
    let server = JwksServer::start(ISSUER, jwks(&[&signer])).await;
    let mut builder = RegistryBuilder::default();
    let api = SecureApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        auth_modules(
            json!({ "jwks_url": server.jwks_url() }),
            json!({ "min_refresh_interval": "1h" }),
        ),
    )
    .await;
    assert_eq!(server.fetches(), 1, "fetched once at start-up");
    let requests = (0..40).map(|i| {
        let token = signer.sign_with_kid(&claims("x", ""), Some(&format!("made-up-{i}")));
        let host = &host;
        async move { status(host, &token).await }
    });
    for answered in futures_util::future::join_all(requests).await {
        assert_eq!(answered, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        server.fetches(),
        1,
        "40 unknown key ids within `min_refresh_interval` fetched the keys again"
    );
    assert_eq!(api.calls(), 0);
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discovery_document_of_another_issuer_is_refused() {
    let signer = TestSigner::eddsa("k");
    let server = JwksServer::start("https://someone-else.test", jwks(&[&signer])).await;
    let mut builder = RegistryBuilder::default();
    SecureApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        auth_modules(
            json!({ "oidc_discovery_url": server.discovery_url() }),
            json!({}),
        ),
    )
    .await;
    assert_eq!(
        status(&host, &signer.sign(&claims("a", ""))).await,
        StatusCode::UNAUTHORIZED,
        "keys named by another issuer's discovery document are not used"
    );
    assert_eq!(server.fetches(), 0);
    host.shut_down().await.assert_ok();
}
