//! The demo's modules in a real host process with `directory.backend: etcd`: the
//! calculator's child process registers its instance as one key under the prefix (read
//! here with etcd-client), the host resolves it from its etcd view, `GET /v1/calc/add`
//! answers, `/healthz` shows the directory current, and a clean shutdown deletes the key
//! at once (its lease is far longer than the test).

use modkit_examples::calculator::SERVICE_NAME;
use modkit_tests::{HostProcess, cluster_config, etcd_keys, etcd_url, unique_prefix};
use serde_json::json;

const HOST: &str = env!("CARGO_BIN_EXE_cluster-host");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_oop_calculator_registers_in_etcd_and_answers_over_rest() {
    let Some(url) = etcd_url("the_oop_calculator_registers_in_etcd_and_answers_over_rest") else {
        return;
    };
    let prefix = unique_prefix();
    let directory = json!({
        "backend": "etcd", "endpoints": [url], "prefix": prefix, "ttl": "60s",
    });
    let mut host = HostProcess::start(HOST, |home| cluster_config(HOST, home, directory));
    let client = reqwest::Client::new();
    let base = host.wait_ready(&client).await;

    let answer = client
        .get(format!("{base}/v1/calc/add?a=2&b=3"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.json::<serde_json::Value>().await.unwrap(),
        json!({ "result": 5 })
    );

    let keys = etcd_keys(&url, &format!("{prefix}/instances/")).await;
    assert_eq!(keys.len(), 1, "one instance: {keys:?}");
    let (key, record) = &keys[0];
    assert!(
        key.starts_with(&format!("{prefix}/instances/calculator/")),
        "{key}"
    );
    assert_eq!(record["services"], json!([SERVICE_NAME]));
    assert!(
        record["endpoint"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:"),
        "{record}"
    );
    assert!(!record["host_id"].as_str().unwrap().is_empty(), "{record}");
    assert!(record["started_at_ms"].as_u64().unwrap() > 0, "{record}");
    assert!(!record["version"].as_str().unwrap().is_empty(), "{record}");

    let health: serde_json::Value = client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(
        health["directory"],
        json!({ "backend": "etcd", "degraded": false })
    );

    let status = host.terminate().await;
    assert!(
        status.success(),
        "{status}; log:\n{}",
        host.log().join("\n")
    );
    let left = etcd_keys(&url, &format!("{prefix}/instances/")).await;
    assert!(
        left.is_empty(),
        "a clean shutdown deletes the key: {left:?}"
    );
}
