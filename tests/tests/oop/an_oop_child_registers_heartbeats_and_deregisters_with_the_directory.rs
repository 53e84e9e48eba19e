use std::sync::Arc;
use std::time::Duration;

use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::oop::OopBackend;
use modkit_tests::{PATIENCE, oop_section, spawn_detached, within};
use serde_json::{Value, json};

const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oop_child_registers_heartbeats_and_deregisters_with_the_directory() {
    let calls =
        std::env::temp_dir().join(format!("modkit-directory-{}.jsonl", uuid::Uuid::new_v4()));
    let path = calls.to_str().unwrap();
    let modules = ModulesConfig::new(json!({
        "probe": oop_section(CHILD, &["record-directory", path], json!(null)),
    }));
    let backend = LocalProcessBackend::new(Arc::new(modules), "per-host-secret");
    spawn_detached(&backend, "probe").await.unwrap();
    let endpoint = backend.endpoint("probe").unwrap();
    // Registered before it reported running; stop it once it has sent two heartbeats.
    within("two heartbeats", async {
        loop {
            let text = tokio::fs::read_to_string(&calls).await.unwrap_or_default();
            if text.matches(r#""call":"heartbeat""#).count() >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    within("stopping", backend.stop_all(PATIENCE)).await;

    let text = std::fs::read_to_string(&calls).unwrap();
    let _ = std::fs::remove_file(&calls);
    let calls: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let names: Vec<&str> = calls
        .iter()
        .map(|call| call["call"].as_str().unwrap())
        .collect();
    assert_eq!(names.first(), Some(&"register"), "{names:?}");
    assert_eq!(names.last(), Some(&"deregister"), "{names:?}");
    assert!(
        names[1..names.len() - 1]
            .iter()
            .all(|name| *name == "heartbeat")
            && names.len() >= 4,
        "{names:?}"
    );
    for call in &calls {
        assert_eq!(call["module"], "probe");
        assert_eq!(call["endpoint"], endpoint.as_str());
        assert_eq!(call["services"], json!(["grpc.health.v1.Health"]));
        assert_eq!(call["directory"], "http://127.0.0.1:9");
        assert_eq!(call["secret"], "per-host-secret");
    }
}
