//! With `uds_path` set, the hub also serves on a Unix socket that only its user can open,
//! and removes the socket file when it stops.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit_tests::{TestHost, loopback_hub, register_grpc_hub, within};
use tokio::net::UnixStream;
use tonic::transport::Endpoint;
use tonic_health::ServingStatus;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_calls_work_over_the_unix_socket() {
    let dir = std::env::temp_dir().join(format!("modkit-hub-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir(&dir).unwrap();
    let path = dir.join("grpc.sock");
    let mut builder = RegistryBuilder::default();
    register_grpc_hub(&mut builder);
    let host = TestHost::new(builder)
        .config(loopback_hub(
            ModulesConfig::empty(),
            serde_json::json!({ "uds_path": path }),
        ))
        .spawn();
    assert!(within("the host to start", host.wait_ready()).await);

    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "only the host's user may connect");

    let socket = path.clone();
    let channel = Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let socket = socket.clone();
            async move { Ok::<_, std::io::Error>(TokioIo::new(UnixStream::connect(socket).await?)) }
        }))
        .await
        .unwrap();
    let mut health = HealthClient::new(channel);
    let serving = within("health over the socket to turn SERVING", async {
        loop {
            let status = health
                .check(HealthCheckRequest {
                    service: String::new(),
                })
                .await
                .expect("the hub answers over the Unix socket")
                .into_inner()
                .status;
            if status == ServingStatus::Serving as i32 {
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
    assert!(!path.exists(), "the socket file is removed on stop");
    std::fs::remove_dir_all(dir).unwrap();
}
