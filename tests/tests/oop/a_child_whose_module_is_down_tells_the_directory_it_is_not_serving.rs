//! A child's heartbeats say whether its module serves: while its health check is down the
//! directory is told so (and stops handing the instance out; see the directory's unit
//! tests), and once it is up again the heartbeats say it serves.

use std::sync::Arc;
use std::time::Duration;

use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::oop::OopBackend;
use modkit_tests::{PATIENCE, oop_section, spawn_detached, within};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");

/// Waits (bounded) until the last heartbeat recorded in `calls` is `heartbeat`.
async fn last_heartbeat_is(calls: &std::path::Path, heartbeat: &str) {
    within(&format!("a `{heartbeat}` heartbeat"), async {
        loop {
            let text = tokio::fs::read_to_string(calls).await.unwrap_or_default();
            let last = text
                .lines()
                .rev()
                .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .find(|call| {
                    call["call"]
                        .as_str()
                        .is_some_and(|c| c.starts_with("heartbeat"))
                });
            if last.is_some_and(|call| call["call"] == heartbeat) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_child_whose_module_is_down_tells_the_directory_it_is_not_serving() {
    let dir = std::env::temp_dir().join(format!("modkit-serving-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let calls = dir.join("calls.jsonl");
    let flag = dir.join("down");
    let modules = ModulesConfig::new(json!({
        "switchable": oop_section(
            CHILD,
            &["record-directory", calls.to_str().unwrap(), flag.to_str().unwrap()],
            json!(null),
        ),
    }));
    let backend = LocalProcessBackend::new(Arc::new(modules), "per-host-secret");
    spawn_detached(&backend, "switchable").await.unwrap();

    last_heartbeat_is(&calls, "heartbeat").await;
    std::fs::write(&flag, b"").unwrap();
    last_heartbeat_is(&calls, "heartbeat-not-serving").await;
    std::fs::remove_file(&flag).unwrap();
    last_heartbeat_is(&calls, "heartbeat").await;

    within("stopping", backend.stop_all(PATIENCE)).await;
    let _ = std::fs::remove_dir_all(&dir);
}
