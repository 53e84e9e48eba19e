//! Every response echoes an `x-request-id`: the client's when it sent a usable one,
//! otherwise a fresh one per request; handlers can read it; every response carries
//! `x-content-type-options: nosniff`.

use modkit::registry::RegistryBuilder;
use modkit_tests::{ProbeApi, ServedHost};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_ids_are_echoed() {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(builder, serde_json::json!({})).await;

    let given = host
        .client()
        .get(host.url("/items/1"))
        .header("x-request-id", "client-chosen-42")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "client-chosen-42");
    assert_eq!(given.headers()["x-content-type-options"], "nosniff");

    let first = host.get("/items/1").await;
    let second = host.get("/healthz").await;
    let id = |r: &reqwest::Response| r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(!id(&first).is_empty());
    assert_ne!(id(&first), id(&second), "each request gets its own id");
    assert_eq!(second.headers()["x-content-type-options"], "nosniff");

    let unusable = host
        .client()
        .get(host.url("/items/1"))
        .header("x-request-id", "x".repeat(500))
        .send()
        .await
        .unwrap();
    assert_ne!(
        unusable.headers()["x-request-id"].len(),
        500,
        "an overlong id is replaced"
    );
    host.shut_down().await.assert_ok();
}
