//! A watch on the directory answers what is live at once, then again after each
//! registration, deregistration and expiry (an instance whose heartbeats stopped is
//! expired on time, without waiting for a request), by service or by module.

use modkit::config::ModulesConfig;
use modkit::directory::{DirectoryClient, DirectoryWatch, InstanceInfo};
use modkit::registry::RegistryBuilder;
use modkit_tests::{TestHost, loopback_hub, register_grpc_hub, within};

fn instance(id: &str, endpoint: &str) -> InstanceInfo {
    InstanceInfo {
        module: "greeter".to_owned(),
        instance_id: id.to_owned(),
        services: vec!["demo.v1.Greeter".to_owned()],
        endpoint: endpoint.to_owned(),
    }
}

/// The instance ids of the watch's next answer.
async fn next(watch: &mut DirectoryWatch) -> Vec<String> {
    within("the watch to answer", watch.next())
        .await
        .expect("the watch goes on")
        .unwrap()
        .into_iter()
        .map(|endpoint| endpoint.instance_id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_watchers_learn_of_every_change() {
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

    let mut by_service = directory.watch("demo.v1.Greeter").await.unwrap();
    let mut by_module = directory.watch_module("greeter").await.unwrap();
    assert!(next(&mut by_service).await.is_empty());
    assert!(next(&mut by_module).await.is_empty());

    let secret = &access.secret;
    let two = instance("two", "http://127.0.0.1:4002");
    directory.register(secret, &two).await.unwrap();
    assert_eq!(next(&mut by_service).await, ["two"]);
    assert_eq!(next(&mut by_module).await, ["two"]);
    directory
        .deregister(secret, "greeter", "two")
        .await
        .unwrap();
    assert!(next(&mut by_service).await.is_empty());
    assert!(next(&mut by_module).await.is_empty());

    // `one` sends no heartbeats: it expires after its time to live, with nobody asking.
    directory
        .register(secret, &instance("one", "http://127.0.0.1:4001"))
        .await
        .unwrap();
    assert_eq!(next(&mut by_service).await, ["one"]);
    assert_eq!(next(&mut by_module).await, ["one"]);
    assert!(next(&mut by_service).await.is_empty(), "`one` expired");
    assert!(next(&mut by_module).await.is_empty(), "`one` expired");

    within("the host to stop", host.shut_down())
        .await
        .assert_ok();
    assert!(
        within("the watch to end", by_service.next())
            .await
            .is_none(),
        "a watch ends when its host stops"
    );
}
