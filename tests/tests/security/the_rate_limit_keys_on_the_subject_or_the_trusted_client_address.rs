//! The rate limit keys on the authenticated subject when a request has a valid token, else
//! on the client's address, which `Forwarded` / `X-Forwarded-For` tell only when the peer
//! is one of `trusted_proxies`. Requests with refused tokens count against the address.

use modkit::registry::RegistryBuilder;
use modkit_tests::ServedHost;
use modkit_tests::security::{SecureApi, TestSigner, auth_modules, claims, jwks, jwks_file};
use reqwest::StatusCode;
use serde_json::json;

async fn host(trusted_proxies: serde_json::Value, file: &std::path::Path) -> ServedHost {
    let mut modules = auth_modules(json!({ "jwks_file": file }), json!({}));
    // A burst of 2, refilled at one request per second: the third request in a row is
    // refused (the test never waits for a refill).
    modules["api-gateway"]["config"]["rate_limit"] =
        json!({ "requests_per_second": 1, "burst": 2 });
    modules["api-gateway"]["config"]["trusted_proxies"] = trusted_proxies;
    let mut builder = RegistryBuilder::default();
    SecureApi::register(&mut builder);
    ServedHost::start(builder, modules).await
}

async fn get(
    host: &ServedHost,
    path: &str,
    token: Option<&str>,
    forwarded_for: Option<&str>,
) -> StatusCode {
    let mut request = host.client().get(host.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(client) = forwarded_for {
        request = request.header("x-forwarded-for", client);
    }
    request.send().await.unwrap().status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_subject_and_each_trusted_forwarded_address_has_its_own_bucket() {
    let signer = TestSigner::es256("k");
    let file = jwks_file("rate-limit-subject", &jwks(&[&signer]));
    let host = host(json!(["127.0.0.0/8"]), &file).await;
    let alice = signer.sign(&claims("alice", ""));
    let bob = signer.sign(&claims("bob", ""));

    for expected in [
        StatusCode::OK,
        StatusCode::OK,
        StatusCode::TOO_MANY_REQUESTS,
    ] {
        assert_eq!(
            get(&host, "/secure/whoami", Some(&alice), None).await,
            expected
        );
    }
    // Same address, another subject: its own bucket.
    assert_eq!(
        get(&host, "/secure/whoami", Some(&bob), None).await,
        StatusCode::OK
    );

    // Anonymous callers behind the trusted proxy (loopback) are told apart by the header.
    for expected in [
        StatusCode::OK,
        StatusCode::OK,
        StatusCode::TOO_MANY_REQUESTS,
    ] {
        let status = get(&host, "/secure/public", None, Some("203.0.113.1")).await;
        assert_eq!(status, expected);
    }
    assert_eq!(
        get(&host, "/secure/public", None, Some("203.0.113.2")).await,
        StatusCode::OK
    );
    // Refused tokens count against the address too: the third is refused before it is
    // even answered 401.
    for expected in [
        StatusCode::UNAUTHORIZED,
        StatusCode::UNAUTHORIZED,
        StatusCode::TOO_MANY_REQUESTS,
    ] {
        let status = get(&host, "/secure/whoami", Some("a.b.c"), Some("203.0.113.3")).await;
        assert_eq!(status, expected);
    }
    host.shut_down().await.assert_ok();
    let _ = std::fs::remove_file(file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
    let signer = TestSigner::eddsa("k");
    let file = jwks_file("rate-limit-untrusted", &jwks(&[&signer]));
    let host = host(json!(["10.0.0.0/8"]), &file).await;
    // Each request claims another client address; none is believed, so all share the
    // loopback peer's bucket.
    for (client, expected) in [
        ("203.0.113.1", StatusCode::OK),
        ("203.0.113.2", StatusCode::OK),
        ("203.0.113.3", StatusCode::TOO_MANY_REQUESTS),
    ] {
        assert_eq!(
            get(&host, "/secure/public", None, Some(client)).await,
            expected
        );
    }
    host.shut_down().await.assert_ok();
    let _ = std::fs::remove_file(file);
}
