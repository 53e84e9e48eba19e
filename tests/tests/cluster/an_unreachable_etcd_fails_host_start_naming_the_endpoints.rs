//! A host whose etcd does not answer fails to start after `directory.connect_timeout`,
//! exiting 1 with an error naming every endpoint; no module ran.

use modkit_tests::{HostProcess, cluster_config, free_port};
use serde_json::json;

const HOST: &str = env!("CARGO_BIN_EXE_cluster-host");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_etcd_fails_host_start_naming_the_endpoints() {
    // Nothing listens on these ports.
    let endpoints = [
        format!("http://127.0.0.1:{}", free_port()),
        format!("http://127.0.0.1:{}", free_port()),
    ];
    let directory = json!({
        "backend": "etcd", "endpoints": endpoints, "connect_timeout": "1s",
    });
    let mut host = HostProcess::start(HOST, |home| cluster_config(HOST, home, directory));
    let status = host.exit_status().await;
    let log = host.log().join("\n");
    assert_eq!(status.code(), Some(1), "{log}");
    for endpoint in &endpoints {
        assert!(
            log.contains(&format!("`{endpoint}`")),
            "names {endpoint}:\n{log}"
        );
    }
    assert!(log.contains("directory.connect_timeout"), "{log}");
    assert!(!log.contains("REST: http://"), "no module started:\n{log}");
}
