//! gRPC health knows the hub's own services, the directory and health itself: they report
//! SERVING as soon as the hub serves them (children register with the directory while
//! start-up is still running), not NOT_FOUND.

use std::sync::Arc;
use std::time::Duration;

use modkit::config::ModulesConfig;
use modkit::directory::DIRECTORY_SERVICE_NAME;
use modkit::registry::RegistryBuilder;
use modkit_tests::{
    EventLog, Hook, RecordingModule, TestHost, loopback_hub, register_grpc_hub, within,
};
use tokio::sync::Barrier;
use tonic::transport::Channel;
use tonic_health::ServingStatus;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

const OWN_SERVICES: [&str; 2] = [DIRECTORY_SERVICE_NAME, "grpc.health.v1.Health"];

/// The status of `service`, or the call's error code (`NotFound` for an unknown service).
async fn status(client: &mut HealthClient<Channel>, service: &str) -> Result<i32, tonic::Code> {
    client
        .check(HealthCheckRequest {
            service: service.to_owned(),
        })
        .await
        .map(|response| response.into_inner().status)
        .map_err(|status| status.code())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hubs_own_services_report_serving() {
    let log = EventLog::new();
    let gate = Arc::new(Barrier::new(2));
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    RecordingModule::new("slow-starter", &log)
        .stateful()
        .wait_in(Hook::Start, Arc::clone(&gate))
        .register(&mut builder);
    let host = TestHost::new(builder)
        .config(loopback_hub(ModulesConfig::empty(), serde_json::json!({})))
        .spawn();

    // The hub serves while `slow-starter` is still held at its start.
    let endpoint = within("the hub to bind", async {
        loop {
            if let Some(endpoint) = modkit::GrpcHubCapability::bound_endpoint(&*hub) {
                break endpoint;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    let channel = Channel::from_shared(endpoint).unwrap();
    let mut client = HealthClient::new(channel.connect().await.unwrap());
    assert_eq!(
        status(&mut client, "").await,
        Ok(ServingStatus::NotServing as i32),
        "the host is still starting"
    );
    for service in OWN_SERVICES {
        assert_eq!(
            status(&mut client, service).await,
            Ok(ServingStatus::Serving as i32),
            "`{service}` during start-up"
        );
    }

    within("slow-starter to be released", gate.wait()).await;
    assert!(within("the host to start", host.wait_ready()).await);
    for service in OWN_SERVICES {
        assert_eq!(
            status(&mut client, service).await,
            Ok(ServingStatus::Serving as i32),
            "`{service}` once started"
        );
    }
    within("the host to stop", host.shut_down())
        .await
        .assert_ok();
}
