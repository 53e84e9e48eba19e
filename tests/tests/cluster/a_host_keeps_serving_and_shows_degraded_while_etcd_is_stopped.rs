//! A real host whose private etcd member is stopped: `GET /v1/calc/add` keeps answering
//! from the host's last known view, `/healthz` says the directory is degraded (and stays
//! 200), and once etcd is back it says `ok` again.

use std::time::{Duration, Instant};

use modkit_tests::{EtcdMember, HostProcess, PATIENCE, cluster_config};
use serde_json::{Value, json};

const HOST: &str = env!("CARGO_BIN_EXE_cluster-host");

async fn healthz(client: &reqwest::Client, base: &str) -> Value {
    let response = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200, "/healthz is liveness: always 200");
    response.json().await.unwrap()
}

async fn wait_for_status(client: &reqwest::Client, base: &str, status: &str) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let health = healthz(client, base).await;
        if health["status"] == status {
            return health;
        }
        assert!(Instant::now() < deadline, "never {status}: {health}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn add(client: &reqwest::Client, base: &str) -> Value {
    let response = client
        .get(format!("{base}/v1/calc/add?a=20&b=22"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_keeps_serving_and_shows_degraded_while_etcd_is_stopped() {
    let Some(mut member) =
        EtcdMember::start("a_host_keeps_serving_and_shows_degraded_while_etcd_is_stopped").await
    else {
        return;
    };
    let directory = json!({
        "backend": "etcd", "endpoints": [member.url()], "ttl": "30s", "connect_timeout": "2s",
    });
    let host = HostProcess::start(HOST, |home| cluster_config(HOST, home, directory));
    let client = reqwest::Client::new();
    let base = host.wait_ready(&client).await;
    assert_eq!(add(&client, &base).await, json!({ "result": 42 }));
    assert_eq!(
        healthz(&client, &base).await["directory"]["degraded"],
        false
    );

    member.stop();
    let health = wait_for_status(&client, &base, "degraded").await;
    assert_eq!(
        health["directory"],
        json!({ "backend": "etcd", "degraded": true })
    );
    for _ in 0..3 {
        assert_eq!(
            add(&client, &base).await,
            json!({ "result": 42 }),
            "served from the view"
        );
    }

    member.resume().await;
    let health = wait_for_status(&client, &base, "ok").await;
    assert_eq!(health["directory"]["degraded"], false);
    assert_eq!(add(&client, &base).await, json!({ "result": 42 }));
}
