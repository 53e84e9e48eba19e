use std::sync::Arc;

use modkit::backends::{LocalProcessBackend, LocalProcessOptions};
use modkit::config::ModulesConfig;
use modkit::oop::OopBackend;
use modkit_tests::{LogCapture, PATIENCE, oop_section, spawn_detached, within};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");
const LINE_MIB: usize = 256;

/// The process's peak resident memory, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_child_line_does_not_grow_host_memory() {
    let logs = LogCapture::install();
    let modules = ModulesConfig::new(json!({
        "chatty": oop_section(CHILD, &["huge-line", &LINE_MIB.to_string()], json!(null)),
    }));
    let options = LocalProcessOptions {
        max_line_bytes: 4096,
        ..LocalProcessOptions::default()
    };
    let backend = LocalProcessBackend::with_options(Arc::new(modules), "secret", options);
    let before = peak_rss();
    spawn_detached(&backend, "chatty").await.unwrap();
    // The child prints its ready line only after the huge one, so it was all read.
    assert!(backend.endpoint("chatty").is_some());
    let grown = peak_rss().saturating_sub(before);

    let lines = logs.child_lines("chatty");
    let huge = lines
        .iter()
        .find(|line| line.truncated == Some(true))
        .expect("the huge line was logged, cut");
    assert_eq!(huge.message.len(), 4096);
    assert!(huge.message.bytes().all(|byte| byte == b'x'));
    assert!(
        lines.iter().any(|line| line.message == "after-huge-line"),
        "the next line is logged whole"
    );
    assert!(
        grown < ((LINE_MIB as u64) << 20) / 8,
        "the host's peak memory grew by {grown} bytes reading a {LINE_MIB} MiB line"
    );
    within("stopping", backend.stop_all(PATIENCE)).await;
}
