//! A host with the gateway but no REST module starts fine and serves only the gateway's
//! own endpoints: health, readiness, the (empty) OpenAPI document and the docs page.

use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, RecordingModule, ServedHost};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_alone_serves_its_own_endpoints() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("plain", &log)
        .stateful()
        .register(&mut builder);
    let host = ServedHost::start(builder, serde_json::json!({})).await;

    assert_eq!(host.get("/healthz").await.status(), StatusCode::OK);
    assert_eq!(host.get("/readyz").await.status(), StatusCode::OK);
    let document: serde_json::Value = host.get("/openapi.json").await.json().await.unwrap();
    assert!(
        document["openapi"].as_str().unwrap().starts_with("3.1"),
        "{document}"
    );
    assert_eq!(document["paths"], serde_json::json!({}));
    let docs = host.get("/docs/").await;
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"));
    assert_eq!(
        host.get("/v1/anything").await.status(),
        StatusCode::NOT_FOUND
    );
    host.shut_down().await.assert_ok();
}
