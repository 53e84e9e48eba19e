//! `otlp.protocol: http`: the host posts its spans as protobuf to the receiver's
//! `/v1/traces`; the request's server span arrives under the caller's trace.

use modkit_tests::HostProcess;
use modkit_tests::otlp::OtlpReceiver;
use serde_json::json;

use super::{HOST, LOG_FILTER, traced_host_config};

const TRACE_ID: &str = "5af7651916cd43dd8448eb211c80319c";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_reach_an_otlp_http_receiver() {
    let receiver = OtlpReceiver::start_http().await;
    let tracing = json!({
        "enabled": true,
        "otlp": { "endpoint": receiver.endpoint(), "protocol": "http" },
        "export_interval": "100ms",
    });
    let mut host =
        HostProcess::start_logging(HOST, LOG_FILTER, |home| traced_host_config(home, tracing));
    let client = reqwest::Client::new();
    let base = host.wait_ready(&client).await;
    let answer = client
        .get(format!("{base}/v1/calc/add?a=1&b=1"))
        .header("traceparent", format!("00-{TRACE_ID}-b7ad6b7169203331-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);

    let spans = receiver
        .wait_until("the request's server span", |spans| {
            spans
                .iter()
                .any(|span| span.trace_id == TRACE_ID && span.name == "GET /v1/calc/add")
        })
        .await;
    let server = spans
        .iter()
        .find(|span| span.trace_id == TRACE_ID && span.name == "GET /v1/calc/add")
        .unwrap();
    assert_eq!(server.parent_span_id, "b7ad6b7169203331");
    // Without a configured name, the host reports its binary's.
    assert_eq!(server.service, "cluster-host");
    let status = host.terminate().await;
    assert!(
        status.success(),
        "{status}; log:\n{}",
        host.log().join("\n")
    );
}
