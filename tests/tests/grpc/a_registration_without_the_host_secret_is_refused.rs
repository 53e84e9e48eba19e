//! The directory takes registrations, heartbeats and deregistrations only with the host's
//! secret, so no other local process can register an endpoint or hijack one; resolving is
//! open to anyone.

use modkit::config::ModulesConfig;
use modkit::directory::{DirectoryClient, HostSecret, InstanceInfo};
use modkit::registry::RegistryBuilder;
use modkit_tests::{TestHost, loopback_hub, register_grpc_hub, within};
use tonic::Code;

const SERVICE: &str = "demo.v1.Calculator";

fn instance(module: &str, endpoint: &str) -> InstanceInfo {
    InstanceInfo {
        module: module.to_owned(),
        instance_id: "instance-1".to_owned(),
        services: vec![SERVICE.to_owned()],
        endpoint: endpoint.to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_host_secret_changes_the_directory() {
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    let host = TestHost::new(builder)
        .config(loopback_hub(ModulesConfig::empty(), serde_json::json!({})))
        .spawn();
    assert!(within("the host to start", host.wait_ready()).await);
    let access = hub.directory_access().expect("the hub has started");
    let directory = DirectoryClient::connect(&access.endpoint).await.unwrap();

    let guessed = HostSecret::generate();
    let refused = directory
        .register(&guessed, &instance("calculator", "http://127.0.0.1:1"))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some(Code::Unauthenticated), "{refused}");
    assert!(refused.to_string().contains("`register`"), "{refused}");
    assert!(directory.resolve(SERVICE).await.unwrap().is_empty());

    // The real child registers with the secret the host gave it.
    directory
        .register(
            &access.secret,
            &instance("calculator", "http://127.0.0.1:4001"),
        )
        .await
        .unwrap();

    // An impostor can neither replace, renew nor remove that registration.
    let hijack = directory
        .register(&guessed, &instance("calculator", "http://127.0.0.1:6666"))
        .await
        .unwrap_err();
    assert_eq!(hijack.code(), Some(Code::Unauthenticated));
    let heartbeat = directory
        .heartbeat(&guessed, "calculator", "instance-1")
        .await
        .unwrap_err();
    assert_eq!(heartbeat.code(), Some(Code::Unauthenticated));
    let deregister = directory
        .deregister(&guessed, "calculator", "instance-1")
        .await
        .unwrap_err();
    assert_eq!(deregister.code(), Some(Code::Unauthenticated));

    let resolved = directory.resolve(SERVICE).await.unwrap();
    assert_eq!(resolved.len(), 1);
    assert_eq!(resolved[0].endpoint, "http://127.0.0.1:4001");

    // A request with no secret at all is refused the same way.
    let mut raw =
        modkit::directory::proto::directory_service_client::DirectoryServiceClient::connect(
            access.endpoint.clone(),
        )
        .await
        .unwrap();
    let anonymous = raw
        .register(modkit::directory::proto::RegisterRequest {
            instance: Some(instance("calculator", "http://127.0.0.1:6666").into()),
        })
        .await
        .unwrap_err();
    assert_eq!(anonymous.code(), Code::Unauthenticated);
    assert!(
        anonymous.message().contains("modkit-host-secret"),
        "{anonymous:?}"
    );

    directory
        .deregister(&access.secret, "calculator", "instance-1")
        .await
        .unwrap();
    assert!(directory.resolve(SERVICE).await.unwrap().is_empty());
    within("the host to stop", host.shut_down())
        .await
        .assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_run_of_a_hub_has_its_own_secret() {
    let mut builder = RegistryBuilder::default();
    let first = register_grpc_hub(&mut builder);
    let host = TestHost::new(builder)
        .config(loopback_hub(ModulesConfig::empty(), serde_json::json!({})))
        .spawn();
    assert!(within("the first host to start", host.wait_ready()).await);
    let first_secret = first.directory_access().unwrap().secret;
    within("the first host to stop", host.shut_down())
        .await
        .assert_ok();
    assert!(
        first.directory_access().is_none(),
        "a stopped hub offers no endpoint"
    );

    let mut builder = RegistryBuilder::default();
    let second = register_grpc_hub(&mut builder);
    let host = TestHost::new(builder)
        .config(loopback_hub(ModulesConfig::empty(), serde_json::json!({})))
        .spawn();
    assert!(within("the second host to start", host.wait_ready()).await);
    let access = second.directory_access().unwrap();
    assert_ne!(access.secret, first_secret);
    let directory = DirectoryClient::connect(&access.endpoint).await.unwrap();
    let refused = directory
        .register(
            &first_secret,
            &instance("calculator", "http://127.0.0.1:4001"),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some(Code::Unauthenticated));
    within("the second host to stop", host.shut_down())
        .await
        .assert_ok();
}
