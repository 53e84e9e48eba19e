//! One `GET /v1/calc/add` with a W3C `traceparent`, the calculator in a child process: the
//! host and the child export spans of one trace, linked parent to child across the gRPC
//! call; start-up's phase, hook and migration spans are exported too; the host's log line
//! for the request carries the trace id.

use modkit_examples::calculator::SERVICE_NAME;
use modkit_tests::HostProcess;
use modkit_tests::otlp::{OtlpReceiver, ReceivedSpan};
use serde_json::json;

use super::{HOST, LOG_FILTER, traced_host_config};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN: &str = "00f067aa0ba902b7";
const SERVER: i32 = 2;
const CLIENT: i32 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_request_yields_one_trace_across_host_and_child() {
    let receiver = OtlpReceiver::start().await;
    let tracing = json!({
        "enabled": true,
        "service_name": "observed",
        "otlp": { "endpoint": receiver.endpoint(), "protocol": "grpc" },
        "export_interval": "100ms",
    });
    let mut host =
        HostProcess::start_logging(HOST, LOG_FILTER, |home| traced_host_config(home, tracing));
    let client = reqwest::Client::new();
    let base = host.wait_ready(&client).await;

    let answer = client
        .get(format!("{base}/v1/calc/add?a=2&b=3"))
        .header("traceparent", format!("00-{TRACE_ID}-{CALLER_SPAN}-01"))
        .header("tracestate", "vendor=opaque")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.json::<serde_json::Value>().await.unwrap(),
        json!({ "result": 5 })
    );

    let in_trace = |spans: &[ReceivedSpan], service: &str, kind: i32| {
        spans
            .iter()
            .find(|span| span.trace_id == TRACE_ID && span.service == service && span.kind == kind)
            .cloned()
    };
    let spans = receiver
        .wait_until(
            "the host's server and client spans and the child's server span",
            |spans| {
                in_trace(spans, "observed", SERVER).is_some()
                    && in_trace(spans, "observed", CLIENT).is_some()
                    && in_trace(spans, "observed-calculator", SERVER).is_some()
            },
        )
        .await;
    let server = in_trace(&spans, "observed", SERVER).unwrap();
    let call = in_trace(&spans, "observed", CLIENT).unwrap();
    let child = in_trace(&spans, "observed-calculator", SERVER).unwrap();

    // The host's server span is the child of the caller's span, with the HTTP attributes.
    assert_eq!(server.parent_span_id, CALLER_SPAN, "{server:?}");
    assert_eq!(server.name, "GET /v1/calc/add");
    assert_eq!(server.attribute("http.request.method"), Some("GET"));
    assert_eq!(server.attribute("http.route"), Some("/v1/calc/add"));
    assert_eq!(server.attribute("http.response.status_code"), Some("200"));
    // The client span is within the request (under its spans in the host)...
    assert!(
        descends_from(&call, &server, &spans),
        "the client span {call:?} is not within the request's span {server:?}"
    );
    assert_eq!(call.attribute("rpc.service"), Some(SERVICE_NAME));
    // ... and the child's server span is the client span's child.
    assert_eq!(child.parent_span_id, call.span_id, "{child:?}");
    assert_eq!(child.attribute("rpc.service"), Some(SERVICE_NAME));
    assert_eq!(child.attribute("rpc.method"), Some("Add"));

    // Start-up was traced in both processes: phases and each module's hooks.
    let spans = receiver
        .wait_until(
            "start-up's phase and hook spans of host and child",
            |spans| {
                has_hook(spans, "observed", "start", "api-gateway")
                    && has_hook(spans, "observed", "init", "calculator")
                    && has_hook(spans, "observed-calculator", "init", "calculator")
                    && spans
                        .iter()
                        .any(|span| span.service == "observed" && span.name == "rest")
                    && spans
                        .iter()
                        .any(|span| span.service == "observed" && span.name.starts_with("migrate "))
            },
        )
        .await;
    let startup = spans
        .iter()
        .find(|span| span.service == "observed" && span.name == "modkit.startup")
        .expect("a start-up span");
    let init = spans
        .iter()
        .find(|span| span.service == "observed" && span.name == "init")
        .expect("the init phase's span");
    assert_eq!(
        init.parent_span_id, startup.span_id,
        "phases are within start-up"
    );
    assert_eq!(init.trace_id, startup.trace_id);
    // The fresh home's `users` database got its first migration, in start-up's trace.
    let migration = spans
        .iter()
        .find(|span| span.service == "observed" && span.name == "migrate users 1")
        .expect("the users module's first migration");
    assert_eq!(migration.attribute("module"), Some("users"));
    assert_eq!(migration.trace_id, startup.trace_id);

    // The host's log line for the request carries the trace id.
    host.wait_for_line("the request's line with its trace id", |line| {
        (line.contains("request finished") && line.contains(TRACE_ID)).then_some(())
    })
    .await;
    let status = host.terminate().await;
    assert!(
        status.success(),
        "{status}; log:\n{}",
        host.log().join("\n")
    );
}

/// Whether `service` exported the hook span of `module` in `phase` (`init calculator`).
fn has_hook(spans: &[ReceivedSpan], service: &str, phase: &str, module: &str) -> bool {
    spans.iter().any(|span| {
        span.service == service
            && span.attribute("phase") == Some(phase)
            && span.attribute("module") == Some(module)
            && span.name == format!("{phase} {module}")
    })
}

/// Whether `ancestor` is `span`'s parent, or its parent's, and so on.
fn descends_from(span: &ReceivedSpan, ancestor: &ReceivedSpan, spans: &[ReceivedSpan]) -> bool {
    let mut parent = span.parent_span_id.clone();
    for _ in 0..spans.len() {
        if parent == ancestor.span_id {
            return true;
        }
        match spans.iter().find(|candidate| candidate.span_id == parent) {
            Some(next) => parent = next.parent_span_id.clone(),
            None => return false,
        }
    }
    false
}
