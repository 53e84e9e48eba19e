//! A request whose `Content-Length` is over the body limit is answered `413` as a problem
//! at once: with `Expect: 100-continue` the server never invites the body (no
//! `100 Continue`) and never waits for it.

use modkit::registry::RegistryBuilder;
use modkit_tests::{ProbeApi, ServedHost, exchange};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_10_mb_body_expecting_100_continue_is_refused_without_being_invited() {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        serde_json::json!({ "api-gateway": { "config": { "body_limit_bytes": 1048576 } } }),
    )
    .await;

    // Only the head is sent: an answer at all shows the server did not wait for the body.
    let head = b"POST /items HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
        expect: 100-continue\r\ncontent-length: 10485760\r\n\r\n";
    let responses = exchange(host.addr(), head.to_vec()).await;
    let first = &responses[0];
    assert_eq!(
        first.status_line, "HTTP/1.1 413 Payload Too Large",
        "{responses:?}"
    );
    assert!(responses.iter().all(|r| r.status() != 100), "{responses:?}");
    assert_eq!(
        first.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(first.header("x-content-type-options"), Some("nosniff"));
    let request_id = first.header("x-request-id").expect("a request id");
    let body = first.json();
    assert_eq!(body["status"], 413, "{body}");
    assert_eq!(body["instance"], "/items", "{body}");
    assert_eq!(body["trace_id"], request_id, "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("10485760"),
        "the declared length is named: {body}"
    );
    host.shut_down().await.assert_ok();
}
