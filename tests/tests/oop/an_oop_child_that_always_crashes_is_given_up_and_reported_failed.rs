use std::sync::Arc;

use modkit::backends::{ChildState, LocalProcessBackend};
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{ModuleState, OopSpawnOptions};
use modkit_tests::{
    EventLog, LogCapture, OopStandIn, PATIENCE, RecordingModule, StubDirectoryHub, TestHost,
    health_check, oop_section, register_gateway, within,
};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oop_child_that_always_crashes_is_given_up_and_reported_failed() {
    let logs = LogCapture::install();
    let modules = ModulesConfig::new(json!({
        "crasher": oop_section(CHILD, &["crash"], json!({
            "initial_backoff": "10ms",
            "max_backoff": "40ms",
            "max_restarts": 2,
        })),
        "probe": oop_section(CHILD, &["serve"], json!(null)),
        "api-gateway": { "config": { "bind_addr": "127.0.0.1:0" } },
    }));
    let backend = LocalProcessBackend::new(Arc::new(modules.clone()), "secret");
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    StubDirectoryHub::register(&mut builder);
    let gateway = register_gateway(&mut builder);
    OopStandIn::register("crasher", &mut builder);
    OopStandIn::register("probe", &mut builder);
    RecordingModule::new("in-process", &log)
        .stateful()
        .register(&mut builder);
    let host = TestHost::new(builder)
        .config(modules)
        .oop(OopSpawnOptions {
            modules: vec!["crasher".to_owned(), "probe".to_owned()],
            backend: Arc::new(backend.clone()),
        })
        .spawn();
    assert!(
        host.wait_ready().await,
        "a crash-looping child does not fail start-up: {:#?}",
        host.report().snapshot()
    );

    let gave_up = backend
        .wait_for("crasher", PATIENCE, |state| {
            matches!(state, ChildState::Failed { .. })
        })
        .await;
    assert!(
        matches!(&gave_up, Some(ChildState::Failed { reason }) if reason.contains("crash loop")),
        "{gave_up:?}"
    );
    assert_eq!(
        host.report().module_state("crasher"),
        Some(ModuleState::Failed)
    );
    let crashes = logs
        .child_lines("crasher")
        .iter()
        .filter(|line| line.message == "crashing on purpose")
        .count();
    assert_eq!(crashes, 3, "the first run and two restarts");
    let restarts = host
        .report()
        .snapshot()
        .module("crasher")
        .map(|m| m.restarts);
    assert_eq!(
        restarts,
        Some(2),
        "the report (and `modkit_module_restarts_total`) counts both restarts"
    );
    let gave_up_logged = logs.lines(|line| {
        line.module.as_deref() == Some("crasher")
            && line.message.contains("gave up after 2 restarts")
    });
    assert_eq!(gave_up_logged.len(), 1);

    // Everything else keeps running.
    assert!(host.report().is_ready());
    assert_eq!(
        host.report().module_state("in-process"),
        Some(ModuleState::Ready)
    );
    assert_eq!(
        host.report().module_state("probe"),
        Some(ModuleState::Ready)
    );
    let endpoint = backend.endpoint("probe").expect("the other child runs");
    assert!(health_check(&endpoint).await.unwrap());

    // ... but the host is not ready for traffic while a required module is failed.
    // The reason reaches the report just after the state: poll (bounded) for it.
    let addr = gateway.handle().local_addr().expect("the gateway listens");
    let problem: serde_json::Value = within("/readyz naming the crash loop", async {
        loop {
            let response = reqwest::get(format!("http://{addr}/readyz")).await.unwrap();
            assert_eq!(response.status().as_u16(), 503);
            let problem: serde_json::Value = response.json().await.unwrap();
            if problem["unready"][0]["reason"] != "failed" {
                break problem;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await;
    assert_eq!(
        problem["unready"],
        json!([{
            "module": "crasher",
            "reason": "failed: crash loop: ended (exit code 3) after 2 restarts in a row",
        }]),
        "{problem}"
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("`crasher` is failed"),
        "{problem}"
    );

    host.shut_down().await.result.unwrap();
}
