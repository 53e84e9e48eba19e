//! With the host's metrics in the ClientHub, the gateway serves `GET /metrics` (public, not
//! an operation of the OpenAPI document) and counts every request by method, route
//! template (never the raw path; `unmatched` for any path no route has) and status; the
//! text passes `promtool check metrics` (Debian's `prometheus` package; `.ci/run` installs
//! it), and a scraper asking for OpenMetrics gets OpenMetrics. Every module's state, hook
//! durations, tasks and restarts are there too, and the process's CPU and open files.

use std::process::Stdio;
use std::sync::Arc;

use modkit::ClientHub;
use modkit::registry::RegistryBuilder;
use modkit::telemetry::metrics::{Metrics, MetricsConfig};
use modkit_tests::{ProbeApi, ServedHost, outside, within};
use serde_json::json;
use tokio::io::AsyncWriteExt;

const TEST: &str = "metrics_count_requests_by_route_template_and_pass_promtool";

async fn served() -> ServedHost {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let hub = Arc::new(ClientHub::new());
    hub.register::<Metrics>(Arc::new(Metrics::new(MetricsConfig::default())));
    ServedHost::start_with_hub(builder, json!({}), hub).await
}

/// The value of the sample `name{labels}` in `text`.
fn sample(text: &str, name: &str, labels: &str) -> Option<f64> {
    let prefix = format!("{name}{{{labels}}} ");
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|value| value.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_counted_by_method_route_template_and_status() {
    let host = served().await;
    for id in 1..=3 {
        assert_eq!(host.get(&format!("/items/{id}")).await.status(), 200);
    }
    assert_eq!(host.get("/items/not-a-number").await.status(), 400);
    for path in ["/nothing/here", "/nothing/else"] {
        assert_eq!(host.get(path).await.status(), 404);
    }

    let response = host.get("/metrics").await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let text = response.text().await.unwrap();
    let count = |labels: &str| sample(&text, "http_server_request_duration_seconds_count", labels);
    assert_eq!(
        count(
            r#"http_request_method="GET",http_route="/items/{id}",http_response_status_code="200""#
        ),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        count(
            r#"http_request_method="GET",http_route="/items/{id}",http_response_status_code="400""#
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        count(
            r#"http_request_method="GET",http_route="unmatched",http_response_status_code="404""#
        ),
        Some(2.0),
        "{text}"
    );
    assert!(
        !text.contains("/items/1"),
        "a raw path became a label: {text}"
    );
    assert!(
        !text.contains("/nothing"),
        "a raw path became a label: {text}"
    );
    assert_eq!(
        sample(
            &text,
            "modkit_module_state",
            r#"module="probe-api",state="ready""#
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "modkit_module_state",
            r#"module="probe-api",state="failed""#
        ),
        Some(0.0),
        "{text}"
    );
    assert!(
        sample(
            &text,
            "modkit_module_hook_duration_seconds",
            r#"module="api-gateway",hook="start""#
        )
        .is_some_and(|seconds| seconds >= 0.0),
        "{text}"
    );
    assert!(
        sample(&text, "modkit_module_tasks", r#"module="api-gateway""#)
            .is_some_and(|tasks| tasks >= 1.0),
        "the gateway's server task: {text}"
    );
    assert_eq!(
        sample(
            &text,
            "modkit_module_restarts_total",
            r#"module="probe-api""#
        ),
        Some(0.0),
        "{text}"
    );
    assert!(text.contains("\nprocess_open_fds "), "{text}");
    assert!(text.contains("\nprocess_cpu_seconds_total "), "{text}");

    let document: serde_json::Value = host.get("/openapi.json").await.json().await.unwrap();
    assert!(document["paths"].get("/metrics").is_none(), "{document}");

    let openmetrics = host
        .client()
        .get(host.url("/metrics"))
        .header(
            "accept",
            "application/openmetrics-text;version=1.0.0,text/plain;q=0.5",
        )
        .send()
        .await
        .unwrap();
    let content_type = openmetrics.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    assert!(openmetrics.text().await.unwrap().ends_with("# EOF\n"));
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promtool_accepts_the_metrics_text() {
    let Some(promtool) = outside::tool(TEST, "promtool", "apt-get install prometheus") else {
        return;
    };
    let host = served().await;
    assert_eq!(host.get("/items/7").await.status(), 200);
    assert_eq!(host.get("/nowhere").await.status(), 404);
    let text = host.get("/metrics").await.text().await.unwrap();
    host.shut_down().await.assert_ok();

    let mut check = tokio::process::Command::new(&promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", promtool.display()));
    let mut stdin = check.stdin.take().unwrap();
    stdin.write_all(text.as_bytes()).await.unwrap();
    drop(stdin);
    let output = within("promtool check metrics", check.wait_with_output())
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "promtool check metrics failed ({}):\n{}{}\non:\n{text}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
