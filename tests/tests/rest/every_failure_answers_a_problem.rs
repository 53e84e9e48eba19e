//! Every failure answers an RFC 9457 problem (`application/problem+json`) carrying the
//! request path and id: unknown route, wrong method, malformed JSON, a missing field, a
//! bad path or query parameter, a wrong content type, a body over the limit, a timeout,
//! a handler's own problem, and a server error, whose internal text is never sent.

use modkit::registry::RegistryBuilder;
use modkit_tests::{ProbeApi, ServedHost, within};
use reqwest::{Response, StatusCode};
use serde_json::Value;

/// The probe API behind a gateway with a 64-byte body limit and `request_timeout`: short
/// only for the test that waits for it, since a short one would race every other request
/// on a busy machine.
async fn served(request_timeout: &str) -> ServedHost {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    ServedHost::start(
        builder,
        serde_json::json!({
            "api-gateway": { "config": {
                "request_timeout": request_timeout, "body_limit_bytes": 64,
            } },
        }),
    )
    .await
}

/// Asserts `response` is a problem with `status` for `path`; returns its body.
async fn problem(response: Response, status: StatusCode, path: &str) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16(), "{body}");
    assert_eq!(body["type"], "about:blank", "{body}");
    assert!(body["title"].is_string(), "{body}");
    assert_eq!(body["instance"], path, "{body}");
    assert_eq!(body["trace_id"], request_id.as_str(), "{body}");
    body
}

fn detail(body: &Value) -> &str {
    body["detail"].as_str().unwrap_or_default()
}

async fn send(request: reqwest::RequestBuilder) -> Response {
    within("a request", request.send()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_failures_are_problems() {
    let host = served("30s").await;
    let body = problem(
        host.get("/nowhere").await,
        StatusCode::NOT_FOUND,
        "/nowhere",
    )
    .await;
    assert_eq!(body["title"], "Not Found");

    let response = send(host.client().delete(host.url("/items"))).await;
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    problem(response, StatusCode::METHOD_NOT_ALLOWED, "/items").await;
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_problem_naming_what_is_wrong() {
    let host = served("30s").await;
    let post = |body: &'static str, content_type: &'static str| {
        host.client()
            .post(host.url("/items"))
            .header("content-type", content_type)
            .body(body)
    };

    let body = problem(
        send(post("{\"name\": ", "application/json")).await,
        StatusCode::BAD_REQUEST,
        "/items",
    )
    .await;
    assert!(detail(&body).contains("JSON"), "{body}");

    let body = problem(
        send(post(r#"{"name": "x"}"#, "application/json")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "/items",
    )
    .await;
    assert!(
        detail(&body).contains("size"),
        "the missing field is named: {body}"
    );

    let body = problem(
        send(post(r#"{"name": "x", "size": "big"}"#, "application/json")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "/items",
    )
    .await;
    assert!(
        detail(&body).contains("size"),
        "the mistyped field is named: {body}"
    );

    problem(
        send(post(r#"{"name": "x", "size": 1}"#, "text/plain")).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "/items",
    )
    .await;

    let big = r#"{"name": "a name far longer than the sixty-four byte limit allows", "size": 1}"#;
    problem(
        send(post(big, "application/json")).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "/items",
    )
    .await;

    let body = problem(
        host.get("/items/abc").await,
        StatusCode::BAD_REQUEST,
        "/items/abc",
    )
    .await;
    assert!(
        detail(&body).contains("`id`"),
        "the path parameter is named: {body}"
    );

    let body = problem(
        host.get("/items?limit=many").await,
        StatusCode::BAD_REQUEST,
        "/items",
    )
    .await;
    assert!(
        detail(&body).contains("limit"),
        "the query parameter is named: {body}"
    );

    // And good input still works.
    let created = send(post(r#"{"name": "x", "size": 1}"#, "application/json")).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_request_times_out_as_a_problem() {
    let host = served("300ms").await;
    let body = problem(
        host.get("/slow?ms=5000").await,
        StatusCode::GATEWAY_TIMEOUT,
        "/slow",
    )
    .await;
    assert!(detail(&body).contains("300ms"), "{body}");
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_hide_their_text_and_handler_problems_are_completed() {
    let host = served("30s").await;
    let response = host.get("/fail").await;
    let body = problem(response, StatusCode::INTERNAL_SERVER_ERROR, "/fail").await;
    assert!(
        !body.to_string().contains("hunter2"),
        "internal text leaked: {body}"
    );
    assert!(body.get("detail").is_none(), "{body}");

    let body = problem(
        host.get("/conflict").await,
        StatusCode::CONFLICT,
        "/conflict",
    )
    .await;
    assert_eq!(body["detail"], "the name is taken");
    host.shut_down().await.assert_ok();
}
