//! Once the host is up, `/readyz` follows the modules' health checks: a required module
//! whose check goes down turns it into a 503 problem naming the module and the reason, and
//! it is 200 again once the module recovers; an optional module (`readiness: optional`)
//! being down shows in `/healthz` but leaves `/readyz` alone. A module whose dependency is
//! down is shown degraded. Checks run every 20 ms here; the test polls, bounded.

use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit::runtime::HealthOptions;
use modkit::{Health, RuntimeOptions};
use modkit_tests::{HealthSwitch, ServedHost, within};
use serde_json::{Value, json};

async fn probe(host: &ServedHost, path: &str) -> (u16, Option<String>, Value) {
    let response = host.get(path).await;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    (status, content_type, response.json().await.unwrap())
}

fn module<'a>(health: &'a Value, name: &str) -> &'a Value {
    health["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("`{name}` is missing from {health}"))
}

/// Polls `path` until `done` accepts what it answers (bounded by `within`).
async fn until(
    host: &ServedHost,
    path: &str,
    what: &str,
    done: impl Fn(u16, &Value) -> bool,
) -> (u16, Option<String>, Value) {
    within(what, async {
        loop {
            let answer = probe(host, path).await;
            if done(answer.0, &answer.2) {
                return answer;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_is_503_while_a_required_module_is_down() {
    let mut builder = RegistryBuilder::default();
    let store = HealthSwitch::register("ready-store", &[], &mut builder);
    HealthSwitch::register("ready-api", &["ready-store"], &mut builder);
    let extra = HealthSwitch::register("ready-extra", &[], &mut builder);
    let options = RuntimeOptions {
        health: HealthOptions {
            interval: Duration::from_millis(20),
            timeout: Duration::from_secs(2),
        },
        ..RuntimeOptions::default()
    };
    let host = ServedHost::start_with_options(
        builder,
        json!({ "ready-extra": { "readiness": "optional" } }),
        options,
    )
    .await;

    let (_, _, health) = until(&host, "/healthz", "the first checks", |_, health| {
        module(health, "ready-store")["check"]["status"] == "up"
    })
    .await;
    assert!(
        module(&health, "ready-store")["check"]["age_ms"].is_u64(),
        "{health}"
    );
    assert_eq!(module(&health, "ready-extra")["readiness"], "optional");
    let (status, _, _) = probe(&host, "/readyz").await;
    assert_eq!(status, 200);

    // An optional module down: shown, but the host stays ready.
    extra.set(Health::Down("the cache is cold".to_owned()));
    let (_, _, health) = until(&host, "/healthz", "`ready-extra` down", |_, health| {
        module(health, "ready-extra")["check"]["status"] == "down"
    })
    .await;
    assert_eq!(
        module(&health, "ready-extra")["check"]["reason"],
        "the cache is cold"
    );
    let (status, _, body) = probe(&host, "/readyz").await;
    assert_eq!(status, 200, "{body}");

    // A required module down: 503, naming it and why; its dependent is degraded.
    store.set(Health::Down("the disk is full".to_owned()));
    let (_, content_type, problem) = until(&host, "/readyz", "/readyz to turn 503", |status, _| {
        status == 503
    })
    .await;
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    assert_eq!(problem["status"], 503);
    assert_eq!(problem["title"], "not ready");
    assert_eq!(
        problem["unready"],
        json!([{ "module": "ready-store", "reason": "down: the disk is full" }])
    );
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("`ready-store`") && detail.contains("the disk is full"),
        "{detail}"
    );
    let (status, _, health) = probe(&host, "/healthz").await;
    assert_eq!(status, 200);
    let api = module(&health, "ready-api");
    assert_eq!(api["state"], "degraded", "{health}");
    assert_eq!(
        api["degraded_by"],
        json!(["`ready-store` is down: the disk is full"])
    );

    // Recovered: ready again, and the dependent with it.
    store.set(Health::Up);
    let (_, _, body) = until(&host, "/readyz", "/readyz to turn 200", |status, _| {
        status == 200
    })
    .await;
    assert_eq!(body["status"], "ready");
    assert_eq!(module(&body, "ready-api")["state"], "ready");

    host.shut_down().await.assert_ok();
}
