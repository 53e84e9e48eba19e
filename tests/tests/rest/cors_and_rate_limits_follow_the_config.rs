//! CORS is off by default and served as configured; a CORS policy that cannot be served
//! (credentials with any origin) fails start-up as a config error; the optional per-client
//! rate limit answers 429 as a problem with `RateLimit-*` and `Retry-After`.

use modkit::registry::RegistryBuilder;
use modkit_tests::{
    ProbeApi, ServedHost, TestHost, error_chain, register_gateway, with_loopback_gateway,
};
use reqwest::StatusCode;

const ORIGIN: &str = "https://app.example.com";

async fn preflight(host: &ServedHost) -> reqwest::Response {
    host.client()
        .request(reqwest::Method::OPTIONS, host.url("/items/1"))
        .header("origin", ORIGIN)
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_is_off_unless_configured() {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(builder, serde_json::json!({})).await;
    let response = preflight(&host).await;
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    host.shut_down().await.assert_ok();

    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        serde_json::json!({
            "api-gateway": { "config": { "cors": {
                "allowed_origins": [ORIGIN], "allow_credentials": true, "max_age": "10m",
            } } },
        }),
    )
    .await;
    let response = preflight(&host).await;
    assert_eq!(response.headers()["access-control-allow-origin"], ORIGIN);
    assert_eq!(
        response.headers()["access-control-allow-credentials"],
        "true"
    );
    assert_eq!(response.headers()["access-control-max-age"], "600");
    let simple = host
        .client()
        .get(host.url("/items/1"))
        .header("origin", ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(simple.status(), StatusCode::OK);
    assert_eq!(simple.headers()["access-control-allow-origin"], ORIGIN);
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_with_any_origin_is_a_config_error_at_start_up() {
    let mut builder = RegistryBuilder::default();
    register_gateway(&mut builder);
    let finished = TestHost::new(builder)
        .config(with_loopback_gateway(serde_json::json!({
            "api-gateway": { "config": { "cors": {
                "allowed_origins": ["*"], "allow_credentials": true,
            } } },
        })))
        .run_expecting_failure()
        .await;
    let error = error_chain(finished.error());
    assert!(error.contains("modules.api-gateway.config.cors"), "{error}");
    assert!(error.contains("`allow_credentials`"), "{error}");
    assert!(error.contains("`allowed_origins`"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_over_its_rate_gets_429_with_rate_limit_headers() {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        serde_json::json!({
            "api-gateway": { "config": { "rate_limit": { "requests_per_second": 1, "burst": 3 } } },
        }),
    )
    .await;
    for remaining in ["2", "1", "0"] {
        let response = host.get("/items/1").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["ratelimit-limit"], "3");
        assert_eq!(response.headers()["ratelimit-remaining"], remaining);
    }
    let refused = host.get("/items/1").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_eq!(refused.headers()["ratelimit-remaining"], "0");
    assert!(refused.headers().contains_key("ratelimit-reset"));
    assert!(refused.headers().contains_key("x-request-id"));
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["status"], 429);
    host.shut_down().await.assert_ok();
}
