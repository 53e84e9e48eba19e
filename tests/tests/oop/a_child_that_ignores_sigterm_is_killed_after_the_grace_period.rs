use std::sync::Arc;
use std::time::{Duration, Instant};

use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::oop::OopBackend;
use modkit_tests::{LogCapture, oop_section, process_is_gone, spawn_detached, within};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_child_that_ignores_sigterm_is_killed_after_the_grace_period() {
    let logs = LogCapture::install();
    let modules = ModulesConfig::new(json!({
        "stubborn": oop_section(CHILD, &["ignore-sigterm"], json!(null)),
    }));
    let backend = LocalProcessBackend::new(Arc::new(modules), "secret");
    spawn_detached(&backend, "stubborn").await.unwrap();
    let pid = backend.pid("stubborn").unwrap();

    let grace = Duration::from_millis(300);
    let began = Instant::now();
    within("stopping", backend.stop_all(grace)).await;
    let took = began.elapsed();

    assert!(process_is_gone(pid));
    // A lower bound the code under test sets, not a guess at the machine's speed: SIGKILL
    // may only follow once the grace period has passed. (`within` bounds it from above.)
    assert!(
        took >= grace,
        "killed before the grace period ended: {took:?}"
    );
    assert!(
        logs.child_lines("stubborn")
            .iter()
            .any(|line| line.message == "ignoring SIGTERM"),
        "SIGTERM came first"
    );
    assert!(
        !logs
            .lines(|line| line.module.as_deref() == Some("stubborn")
                && line.message.contains("sending SIGKILL"))
            .is_empty()
    );
}
