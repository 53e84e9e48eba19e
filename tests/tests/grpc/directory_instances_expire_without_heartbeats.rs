//! An out-of-process instance that stops sending heartbeats disappears from the directory
//! after its time to live; one that keeps sending them stays; the hub's own services resolve
//! to the hub.
//!
//! Expiry follows the wall clock, so the test waits (bounded) for the silent instance to go
//! rather than for a fixed while; the lively one registers first, so by then it has outlived
//! its own first lease and only its heartbeats can have kept it.

use std::time::Duration;

use modkit::CancellationToken;
use modkit::config::ModulesConfig;
use modkit::directory::{DirectoryClient, InstanceInfo};
use modkit::registry::RegistryBuilder;
use modkit_tests::{TestHost, loopback_hub, register_grpc_hub, within};

/// Long enough that a busy machine still delivers a heartbeat (every third of it) in time.
const TTL: Duration = Duration::from_secs(1);

fn instance(module: &str, service: &str) -> InstanceInfo {
    InstanceInfo {
        module: module.to_owned(),
        instance_id: uuid::Uuid::new_v4().to_string(),
        services: vec![service.to_owned()],
        endpoint: "http://127.0.0.1:4001".to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_instances_expire_and_live_ones_stay() {
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    let host = TestHost::new(builder)
        .config(loopback_hub(
            ModulesConfig::empty(),
            serde_json::json!({ "instance_ttl": "1s" }),
        ))
        .spawn();
    assert!(within("the host to start", host.wait_ready()).await);
    let access = hub.directory_access().unwrap();
    let directory = DirectoryClient::connect(&access.endpoint).await.unwrap();

    let lively = instance("lively", "demo.v1.Lively");
    let stop_heartbeats = CancellationToken::new();
    let keeper = tokio::spawn({
        let (directory, secret, lively, stop) = (
            directory.clone(),
            access.secret.clone(),
            lively.clone(),
            stop_heartbeats.clone(),
        );
        async move { directory.keep_registered(&secret, &lively, stop).await }
    });
    within("`lively` to register", async {
        while directory
            .resolve("demo.v1.Lively")
            .await
            .unwrap()
            .is_empty()
        {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;

    let silent = instance("silent", "demo.v1.Silent");
    let lease = directory.register(&access.secret, &silent).await.unwrap();
    assert_eq!(lease.ttl, TTL);
    assert!(lease.heartbeat_interval < lease.ttl);
    assert_eq!(directory.resolve("demo.v1.Silent").await.unwrap().len(), 1);
    within("an instance without heartbeats to expire", async {
        while !directory
            .resolve("demo.v1.Silent")
            .await
            .unwrap()
            .is_empty()
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let expired = directory
        .heartbeat(&access.secret, "silent", &silent.instance_id)
        .await
        .unwrap_err();
    assert_eq!(expired.code(), Some(tonic::Code::NotFound), "{expired}");
    let live = directory.resolve("demo.v1.Lively").await.unwrap();
    assert_eq!(live.len(), 1, "heartbeats keep an instance registered");
    assert_eq!(live[0].instance_id, lively.instance_id);

    stop_heartbeats.cancel();
    within("the heartbeats to stop", keeper)
        .await
        .unwrap()
        .unwrap();
    assert!(
        directory
            .resolve("demo.v1.Lively")
            .await
            .unwrap()
            .is_empty(),
        "a stopping instance deregisters"
    );

    let own = directory
        .resolve(modkit::directory::DIRECTORY_SERVICE_NAME)
        .await
        .unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].module, "grpc-hub");
    assert_eq!(own[0].endpoint, access.endpoint);
    within("the host to stop", host.shut_down())
        .await
        .assert_ok();
}
