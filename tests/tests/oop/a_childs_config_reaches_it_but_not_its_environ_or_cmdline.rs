use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::oop::OopBackend;
use modkit_tests::{LogCapture, PATIENCE, oop_section, spawn_detached, within};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");
/// Looks like a live API key, so that a leak anywhere is unmistakable.
const API_TOKEN: &str = "sk-live-7f3a9c1e5b2d4f60a8e7";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_childs_config_reaches_it_but_not_its_environ_or_cmdline() {
    let logs = LogCapture::install();
    let mut section = oop_section(CHILD, &["report-config"], json!(null));
    section["config"] = json!({ "precision": 6, "api_token": API_TOKEN });
    let modules = ModulesConfig::new(json!({ "config-reporter": section }));
    let backend = LocalProcessBackend::new(Arc::new(modules), "per-host-secret");
    spawn_detached(&backend, "config-reporter").await.unwrap();
    let pid = backend
        .pid("config-reporter")
        .expect("the child is running");

    // Read from outside, as any other process of the same user could.
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    let environ = String::from_utf8_lossy(&environ);
    let cmdline = String::from_utf8_lossy(&cmdline);
    assert!(
        environ.contains("MODKIT_SECRET_FILE="),
        "not the child's environment: {environ}"
    );
    assert!(cmdline.contains("report-config"), "{cmdline}");
    for (place, text) in [("environ", &environ), ("cmdline", &cmdline)] {
        for secret in [API_TOKEN, "per-host-secret", "precision"] {
            assert!(
                !text.contains(secret),
                "`{secret}` is in the child's /proc/{pid}/{place}"
            );
        }
    }
    assert!(!environ.contains("MODKIT_MODULE_CONFIG"), "{environ}");

    // The child's module read its config (through `run_oop` and `ctx.config`).
    let mut hasher = DefaultHasher::new();
    API_TOKEN.hash(&mut hasher);
    let expected = format!("config precision=6 api_token_hash={}", hasher.finish());
    let lines = logs.child_lines("config-reporter");
    assert!(
        lines.iter().any(|line| line.message == expected),
        "the child did not report `{expected}`: {lines:?}"
    );
    // And nothing the host logged, of the child or of its own, shows the secret.
    let everything = logs.lines(|_| true);
    assert!(!everything.is_empty());
    for line in &everything {
        assert!(!line.message.contains(API_TOKEN), "logged: {line:?}");
    }

    within("stopping", backend.stop_all(PATIENCE)).await;
}
