//! `sampler.ratio: 0` with a parent-based sampler: a request without a `traceparent` is
//! not traced at all, while one whose caller sampled its trace is, in host and child alike.

use modkit_tests::HostProcess;
use modkit_tests::otlp::OtlpReceiver;
use serde_json::json;

use super::{HOST, LOG_FILTER, traced_host_config};

const TRACE_ID: &str = "6af7651916cd43dd8448eb211c80319c";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_ratio_0_only_sampled_callers_are_traced() {
    let receiver = OtlpReceiver::start().await;
    let tracing = json!({
        "enabled": true,
        "service_name": "sparse",
        "otlp": { "endpoint": receiver.endpoint() },
        "sampler": { "ratio": 0.0, "parent_based": true },
        "export_interval": "100ms",
    });
    let mut host =
        HostProcess::start_logging(HOST, LOG_FILTER, |home| traced_host_config(home, tracing));
    let client = reqwest::Client::new();
    let base = host.wait_ready(&client).await;
    let add = format!("{base}/v1/calc/add?a=2&b=2");
    for _ in 0..3 {
        let answer = client.get(&add).send().await.unwrap();
        assert_eq!(answer.status(), 200);
    }
    let answer = client
        .get(&add)
        .header("traceparent", format!("00-{TRACE_ID}-b7ad6b7169203331-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);

    let spans = receiver
        .wait_until("the sampled request's spans from host and child", |spans| {
            spans
                .iter()
                .any(|span| span.trace_id == TRACE_ID && span.service == "sparse")
                && spans
                    .iter()
                    .any(|span| span.trace_id == TRACE_ID && span.service == "sparse-calculator")
        })
        .await;
    // Spans leave in the order they end: the unsampled requests, answered before, would
    // be in this batch or an earlier one. Start-up (a root at ratio 0) is not traced either.
    let stray: Vec<_> = spans
        .iter()
        .filter(|span| span.trace_id != TRACE_ID)
        .collect();
    assert!(
        stray.is_empty(),
        "only the sampled trace is exported: {stray:#?}"
    );
    let status = host.terminate().await;
    assert!(
        status.success(),
        "{status}; log:\n{}",
        host.log().join("\n")
    );
}
