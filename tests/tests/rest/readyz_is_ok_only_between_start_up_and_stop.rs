//! `/readyz` answers 200 only once start-up has finished and until stopping begins (503
//! before and after); `/healthz` answers 200 throughout. Both list every module's state;
//! `/healthz` also shows a hook still running during start-up.

use std::sync::Arc;
use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit::runtime::ModuleState;
use modkit_tests::{
    EventLog, Hook, RecordingModule, TestHost, register_gateway, with_loopback_gateway, within,
};
use serde_json::Value;
use tokio::sync::Barrier;

async fn probe(client: &reqwest::Client, url: String) -> (u16, Value) {
    let response = within("probing", client.get(url).send()).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn state_of<'a>(health: &'a Value, module: &str) -> &'a str {
    health["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == module)
        .and_then(|m| m["state"].as_str())
        .unwrap_or_else(|| panic!("`{module}` is missing from {health}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_the_host_from_starting_to_ready_to_stopping() {
    let log = EventLog::new();
    let started = Arc::new(Barrier::new(2));
    let stopped = Arc::new(Barrier::new(2));
    let mut builder = RegistryBuilder::default();
    let gateway = register_gateway(&mut builder);
    RecordingModule::new("slow", &log)
        .stateful()
        .wait_in(Hook::Start, started.clone())
        .wait_in(Hook::Stop, stopped.clone())
        .register(&mut builder);
    let host = TestHost::new(builder)
        .config(with_loopback_gateway(serde_json::json!({})))
        .spawn();

    // The gateway (a system module) serves while `slow` is still starting.
    let addr = within("the gateway to listen", async {
        loop {
            if let Some(addr) = gateway.handle().local_addr() {
                return addr;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    let client = reqwest::Client::new();
    let url = |path: &str| format!("http://{addr}{path}");

    let (status, health) = probe(&client, url("/readyz")).await;
    assert_eq!(status, 503, "{health}");
    assert_eq!(health["status"], 503, "a problem");
    assert_eq!(health["detail"], "the host is starting");
    assert_eq!(state_of(&health, "slow"), "starting");
    let (status, health) = probe(&client, url("/healthz")).await;
    assert_eq!(status, 200, "{health}");
    assert_eq!(health["status"], "ok");
    let slow = health["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "slow")
        .unwrap();
    assert_eq!(
        slow["hook_in_progress"]["hook"], "start",
        "/healthz shows the hook in progress: {health}"
    );
    assert!(
        slow["hook_in_progress"]["running_for_ms"].is_u64(),
        "{health}"
    );

    within("releasing start", started.wait()).await;
    assert!(host.wait_ready().await);
    let (status, health) = probe(&client, url("/readyz")).await;
    assert_eq!(status, 200, "{health}");
    assert_eq!(health["status"], "ready");
    assert_eq!(health["host"], "ready");
    assert_eq!(state_of(&health, "slow"), "ready");

    // `slow` stops first (reverse start order); meanwhile the gateway still answers.
    host.cancel_token().cancel();
    within("stopping to begin", async {
        while host.report().module_state("slow") != Some(ModuleState::Stopping) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    let (status, health) = probe(&client, url("/readyz")).await;
    assert_eq!(status, 503, "{health}");
    assert_eq!(health["host"], "stopping");
    let (status, _) = probe(&client, url("/healthz")).await;
    assert_eq!(status, 200);

    within("releasing stop", stopped.wait()).await;
    host.finish().await.assert_ok();
}
