//! Once the host is up, the gRPC health of a module's service follows the module's health
//! check: NOT_SERVING while the check finds it down, SERVING again once it recovers.
//! Checks run every 20 ms here; the test polls, bounded.

use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit::runtime::HealthOptions;
use modkit::{Health, RuntimeOptions};
use modkit_tests::{
    EventLog, HealthSwitch, ServiceModule, TestHost, loopback_hub, register_grpc_hub, within,
};
use tonic::transport::Channel;
use tonic_health::ServingStatus;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

const SERVICE: &str = "demo.v1.Checked";

async fn wait_for_status(client: &mut HealthClient<Channel>, wanted: ServingStatus) {
    within(&format!("`{SERVICE}` to turn {wanted:?}"), async {
        loop {
            let status = client
                .check(HealthCheckRequest {
                    service: SERVICE.to_owned(),
                })
                .await
                .expect("the health service answers")
                .into_inner()
                .status;
            if status == wanted as i32 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_is_not_serving_while_its_module_is_down() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    ServiceModule::register("grpc-checked", &[SERVICE], &log, &mut builder);
    let check = HealthSwitch::attach("grpc-checked", &mut builder);
    let host = TestHost::new(builder)
        .config(loopback_hub(
            modkit::config::ModulesConfig::empty(),
            serde_json::json!({}),
        ))
        .options(RuntimeOptions {
            health: HealthOptions {
                interval: Duration::from_millis(20),
                timeout: Duration::from_secs(2),
            },
            ..RuntimeOptions::default()
        })
        .spawn();
    assert!(within("the host to start", host.wait_ready()).await);
    let endpoint = modkit::GrpcHubCapability::bound_endpoint(&*hub).expect("a ready hub has bound");
    let channel = Channel::from_shared(endpoint).unwrap();
    let mut client = HealthClient::new(channel.connect().await.unwrap());

    wait_for_status(&mut client, ServingStatus::Serving).await;
    check.set(Health::Down("the backend is gone".to_owned()));
    wait_for_status(&mut client, ServingStatus::NotServing).await;
    check.set(Health::Up);
    wait_for_status(&mut client, ServingStatus::Serving).await;

    within("the host to stop", host.shut_down())
        .await
        .assert_ok();
}
