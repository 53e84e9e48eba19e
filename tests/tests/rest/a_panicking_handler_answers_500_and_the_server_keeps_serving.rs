//! A handler that panics answers 500 as a problem without the panic's text, and the server
//! goes on serving other requests, on the same connection and on new ones.

use modkit::registry::RegistryBuilder;
use modkit_tests::{ProbeApi, ServedHost};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_survives_a_panicking_handler() {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(builder, serde_json::json!({})).await;

    for _ in 0..3 {
        let response = host.get("/panic").await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let body = response.text().await.unwrap();
        assert!(!body.contains("secret"), "the panic text leaked: {body}");

        let response = host.get("/items/1").await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let fresh = reqwest::Client::new();
    let response = fresh.get(host.url("/items/2")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    host.shut_down().await.assert_ok();
}
