//! With the host's metrics in the ClientHub, every call the gRPC hub serves is timed by
//! service, method and status code (`rpc_server_call_duration_seconds`), and the
//! directory's live instances are counted per module (`modkit_directory_instances`).

use std::sync::Arc;

use modkit::ClientHub;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::telemetry::metrics::{Metrics, MetricsConfig, TextFormat};
use modkit_tests::{TestHost, loopback_hub, register_grpc_hub, within};
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

/// The value of the sample `name{labels}` in `text`.
fn sample(text: &str, name: &str, labels: &str) -> Option<f64> {
    let prefix = format!("{name}{{{labels}}} ");
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|value| value.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_calls_and_directory_instances_show_in_metrics() {
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    let client_hub = Arc::new(ClientHub::new());
    let metrics = Arc::new(Metrics::new(MetricsConfig::default()));
    client_hub.register::<Metrics>(Arc::clone(&metrics));
    let host = TestHost::new(builder)
        .config(loopback_hub(
            ModulesConfig::empty(),
            serde_json::json!({ "listen": "always" }),
        ))
        .client_hub(client_hub)
        .spawn();
    assert!(within("the host to start", host.wait_ready()).await);
    let endpoint = modkit::GrpcHubCapability::bound_endpoint(&*hub).expect("the hub listens");
    let channel = Channel::from_shared(endpoint)
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = HealthClient::new(channel);
    for _ in 0..2 {
        let check = HealthCheckRequest {
            service: String::new(),
        };
        client.check(check).await.unwrap();
    }
    let unknown = HealthCheckRequest {
        service: "no.such.Service".to_owned(),
    };
    let refused = client.check(unknown).await.unwrap_err();
    assert_eq!(refused.code(), tonic::Code::NotFound);

    let text = metrics.render(TextFormat::Prometheus);
    let calls = |code: u16| {
        sample(
            &text,
            "rpc_server_call_duration_seconds_count",
            &format!(
                r#"rpc_service="grpc.health.v1.Health",rpc_method="Check",rpc_grpc_status_code="{code}""#
            ),
        )
    };
    assert_eq!(calls(0), Some(2.0), "{text}");
    assert_eq!(calls(5), Some(1.0), "NOT_FOUND: {text}");
    assert_eq!(
        sample(&text, "modkit_directory_instances", r#"module="grpc-hub""#),
        Some(1.0),
        "the hub's own instance: {text}"
    );
    host.shut_down().await.assert_ok();
}
