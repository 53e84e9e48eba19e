//! A child process SIGKILLed cannot delete its key: etcd does, when the lease it stopped
//! renewing runs out (2 s here). The host restarts the child, whose new instance registers
//! and answers.

use std::time::{Duration, Instant};

use modkit_tests::{
    HostProcess, PATIENCE, cluster_config, etcd_keys, etcd_url, signal, unique_prefix,
};
use serde_json::json;

const HOST: &str = env!("CARGO_BIN_EXE_cluster-host");
const TTL: Duration = Duration::from_secs(2);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkilled_childs_key_is_gone_within_its_ttl() {
    let Some(url) = etcd_url("a_sigkilled_childs_key_is_gone_within_its_ttl") else {
        return;
    };
    let prefix = unique_prefix();
    let instances = format!("{prefix}/instances/calculator/");
    let directory = json!({
        "backend": "etcd", "endpoints": [url], "prefix": prefix, "ttl": "2s",
    });
    let host = HostProcess::start(HOST, |home| cluster_config(HOST, home, directory));
    let client = reqwest::Client::new();
    let base = host.wait_ready(&client).await;
    let first = etcd_keys(&url, &instances).await;
    assert_eq!(first.len(), 1, "{first:?}");
    let killed_key = first[0].0.clone();

    let pid: u32 = host
        .wait_for_line("the calculator child's pid", |line| {
            (line.contains("child running") && line.contains("calculator")).then(|| {
                line.split_whitespace()
                    .find_map(|field| field.strip_prefix("pid="))
                    .and_then(|pid| pid.parse().ok())
            })?
        })
        .await;
    signal(pid, "KILL");
    let killed = Instant::now();

    // Bounded by the TTL and generous slack for a loaded machine; what is asserted is that
    // the key goes at all, with nothing of ours deleting it.
    let gone = loop {
        let keys = etcd_keys(&url, &instances).await;
        if keys.iter().all(|(key, _)| *key != killed_key) {
            break killed.elapsed();
        }
        assert!(
            killed.elapsed() < TTL + PATIENCE,
            "the SIGKILLed child's key `{killed_key}` outlived its lease"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    println!("the SIGKILLed child's key was gone {gone:?} after the kill (ttl {TTL:?})");

    // The restarted child registers a new instance, and calls reach it.
    let deadline = Instant::now() + PATIENCE;
    loop {
        let answer = client
            .get(format!("{base}/v1/calc/add?a=40&b=2"))
            .send()
            .await
            .unwrap();
        if answer.status() == 200 {
            assert_eq!(
                answer.json::<serde_json::Value>().await.unwrap(),
                json!({ "result": 42 })
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the restarted child never answered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let keys = etcd_keys(&url, &instances).await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_ne!(keys[0].0, killed_key, "the new run is a new instance");
}
