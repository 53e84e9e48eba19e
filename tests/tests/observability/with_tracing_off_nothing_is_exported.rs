//! `telemetry.tracing.enabled: false` (an endpoint set all the same): the host installs no
//! OpenTelemetry layer, so through start-up, a request with a `traceparent` and a clean
//! shutdown (which would flush any span left) nothing reaches the receiver, and no log
//! line carries the request's trace id.

use modkit_tests::HostProcess;
use modkit_tests::otlp::OtlpReceiver;
use serde_json::json;

use super::{HOST, LOG_FILTER, traced_host_config};

const TRACE_ID: &str = "0af7651916cd43dd8448eb211c80319c";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_tracing_off_nothing_is_exported() {
    let receiver = OtlpReceiver::start().await;
    let tracing = json!({
        "enabled": false,
        "otlp": { "endpoint": receiver.endpoint() },
        "export_interval": "100ms",
    });
    let mut host =
        HostProcess::start_logging(HOST, LOG_FILTER, |home| traced_host_config(home, tracing));
    let client = reqwest::Client::new();
    let base = host.wait_ready(&client).await;
    let answer = client
        .get(format!("{base}/v1/calc/add?a=2&b=3"))
        .header("traceparent", format!("00-{TRACE_ID}-b7ad6b7169203331-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    host.wait_for_line("the request's line", |line| {
        line.contains("request finished").then_some(())
    })
    .await;

    let status = host.terminate().await;
    assert!(
        status.success(),
        "{status}; log:\n{}",
        host.log().join("\n")
    );
    assert_eq!(receiver.exports(), 0, "spans: {:?}", receiver.spans());
    let log = host.log();
    assert!(
        !log.iter().any(|line| line.contains("exporting traces")),
        "no exporter was set up:\n{}",
        log.join("\n")
    );
    assert!(
        !log.iter()
            .any(|line| line.contains(TRACE_ID) || line.contains("http.server")),
        "no request span was opened:\n{}",
        log.join("\n")
    );
}
