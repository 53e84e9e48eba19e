//! The hub's standard gRPC health service answers NOT_SERVING while start-up is still
//! running, SERVING once every module has started, and the hub stops serving on stop.

use std::sync::Arc;
use std::time::Duration;

use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit_tests::{
    EventLog, Hook, RecordingModule, TestHost, loopback_hub, register_grpc_hub, within,
};
use tokio::sync::Barrier;
use tonic::transport::Channel;
use tonic_health::ServingStatus;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

async fn status(client: &mut HealthClient<Channel>) -> i32 {
    client
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .expect("the health service answers")
        .into_inner()
        .status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_turns_serving_when_start_up_finishes() {
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

    // The hub starts first (a system module) while `slow-starter` is held at its start.
    let endpoint = within("the hub to bind", async {
        loop {
            if let Some(endpoint) = modkit::GrpcHubCapability::bound_endpoint(&*hub) {
                break endpoint;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    let channel = Channel::from_shared(endpoint.clone()).unwrap();
    let mut client = HealthClient::new(channel.connect().await.unwrap());
    assert_eq!(status(&mut client).await, ServingStatus::NotServing as i32);

    within("slow-starter to be released", gate.wait()).await;
    assert!(within("the host to start", host.wait_ready()).await);
    let serving = within("health to turn SERVING", async {
        loop {
            if status(&mut client).await == ServingStatus::Serving as i32 {
                break true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(serving);

    within("the host to stop", host.shut_down())
        .await
        .assert_ok();
    let after = Channel::from_shared(endpoint).unwrap().connect().await;
    assert!(after.is_err(), "the hub no longer listens after stop");
}
