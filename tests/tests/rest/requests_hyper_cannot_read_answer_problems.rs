//! Requests that hyper refuses before any route sees them (a request target over its 64 KiB
//! limit, a head over its read buffer, a malformed request line, conflicting
//! `Content-Length`s) are answered as problems with a request id and `nosniff`, like every
//! other error; a response that merely ends like hyper's bare answer is sent unchanged.

use axum::Router;
use axum::http::StatusCode;
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::{Module, ModuleCtx, OpenApiRegistry, RestApiCapability};
use modkit_tests::{ProbeApi, RawResponse, ServedHost, exchange, within};

/// Asserts `response` is a problem with `status`, naming its request id.
fn assert_problem(response: &RawResponse, status: u16) {
    assert_eq!(response.status(), status, "{response:?}");
    assert_eq!(
        response.header("content-type"),
        Some("application/problem+json"),
        "{response:?}"
    );
    assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
    let request_id = response.header("x-request-id").expect("a request id");
    let body = response.json();
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["trace_id"], request_id, "{body}");
    assert!(body["detail"].is_string(), "{body}");
}

fn get_with_query(query_len: usize) -> Vec<u8> {
    format!(
        "GET /items?q={} HTTP/1.1\r\nhost: test\r\n\r\n",
        "a".repeat(query_len)
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_requests_answer_problems() {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(builder, serde_json::json!({})).await;
    let addr = host.addr();

    let cases: [(&str, Vec<u8>, u16); 4] = [
        ("a 100 KB query", get_with_query(100_000), 414),
        ("a 1 MB query", get_with_query(1_000_000), 431),
        (
            "a malformed request line",
            b"GET /items HTTP/1.1 extra\r\nhost: test\r\n\r\n".to_vec(),
            400,
        ),
        (
            "conflicting Content-Lengths",
            b"POST /items HTTP/1.1\r\nhost: test\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\nabcd"
                .to_vec(),
            400,
        ),
    ];
    for (what, request, status) in cases {
        let responses = exchange(addr, request).await;
        assert_eq!(responses.len(), 1, "{what}: {responses:?}");
        assert_problem(&responses[0], status);
    }

    // On a keep-alive connection, after an answered request.
    let good_then_bad = b"GET /items HTTP/1.1\r\nhost: test\r\n\r\n\
        GET /items HTTP/1.1\r\nhost: test\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\n"
        .to_vec();
    let responses = exchange(addr, good_then_bad).await;
    assert_eq!(responses.len(), 2, "{responses:?}");
    assert_eq!(responses[0].status(), 200);
    assert_problem(&responses[1], 400);
    host.shut_down().await.assert_ok();
}

/// What hyper answers to an unreadable request, as a response body.
const LOOKALIKE: &str = "HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\
    date: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\n";

/// `GET /lookalike`, answering [`LOOKALIKE`].
#[derive(Debug)]
struct Lookalike;

#[modkit::async_trait]
impl Module for Lookalike {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl RestApiCapability for Lookalike {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        Ok(OperationBuilder::get("/lookalike")
            .handler(|| async { LOOKALIKE })
            .empty_response(StatusCode::OK, "text that ends like a bare answer")
            .register(router, openapi))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_that_ends_like_a_bare_answer_is_sent_unchanged() {
    let mut builder = RegistryBuilder::default();
    let module = std::sync::Arc::new(Lookalike);
    builder.register_core_with_meta("lookalike", &[], module.clone());
    builder.register_rest_with_meta("lookalike", module);
    let host = ServedHost::start(builder, serde_json::json!({})).await;

    // Twice on one keep-alive connection, then once on a connection the client closes.
    for _ in 0..2 {
        let response = host.get("/lookalike").await;
        assert_eq!(response.status(), 200);
        let body = within("the body", response.text()).await.unwrap();
        assert_eq!(body, LOOKALIKE);
    }
    let responses = exchange(
        host.addr(),
        b"GET /lookalike HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n".to_vec(),
    )
    .await;
    assert_eq!(responses.len(), 1, "{responses:?}");
    assert_eq!(responses[0].status(), 200);
    assert_eq!(responses[0].body, LOOKALIKE.as_bytes());
    host.shut_down().await.assert_ok();
}
