use std::sync::Arc;

use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::oop::OopBackend;
use modkit::oop::protocol::ChildSecrets;
use modkit_tests::{LogCapture, PATIENCE, oop_section, spawn_detached, within};
use serde_json::{Value, json};

const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oop_children_get_their_own_config_and_secrets_privately() {
    let logs = LogCapture::install();
    let mut reporter = oop_section(CHILD, &["report-setup"], json!(null));
    reporter["config"] = json!({ "precision": 8 });
    reporter["database"] = json!({ "url": "postgres://probe:probe-password@db/probe" });
    reporter["runtime"]["execution"]["env"] = json!({ "PROBE_FLAG": "on" });
    let modules = ModulesConfig::new(json!({
        "reporter": reporter,
        "users": {
            "config": { "api_key": "users-api-key" },
            "database": { "url": "postgres://users:users-password@db/users" },
        },
    }));
    let backend = LocalProcessBackend::new(Arc::new(modules), "per-host-secret");
    spawn_detached(&backend, "reporter").await.unwrap();

    let setup: Value = logs
        .child_lines("reporter")
        .iter()
        .find_map(|line| line.message.strip_prefix("setup "))
        .map(|json| serde_json::from_str(json).unwrap())
        .expect("the child reported its setup");
    let env = setup["env"].as_object().unwrap();
    assert!(!env.contains_key("MODKIT_MODULE_CONFIG"));
    assert_eq!(env["MODKIT_DIRECTORY_ENDPOINT"], "http://127.0.0.1:9");
    assert_eq!(env["PROBE_FLAG"], "on");
    // Nothing else of the host's environment (cargo sets plenty of variables for this test).
    assert!(std::env::vars().any(|(key, _)| key.starts_with("CARGO")));
    for key in env.keys() {
        assert!(
            key.starts_with("MODKIT_")
                || key == "PROBE_FLAG"
                || [
                    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR"
                ]
                .contains(&key.as_str())
                || key.starts_with("RUST_"),
            "the host's `{key}` leaked into the child"
        );
    }
    let environment = serde_json::to_string(env).unwrap();
    for secret in [
        "per-host-secret",
        "probe-password",
        "users-password",
        "users-api-key",
    ] {
        assert!(
            !environment.contains(secret),
            "`{secret}` is in the child's environment"
        );
    }

    assert_eq!(setup["secret_file_mode"], 0o600);
    assert_eq!(setup["secret_dir_mode"], 0o700);
    let secrets: ChildSecrets = serde_json::from_str(setup["secrets"].as_str().unwrap()).unwrap();
    assert_eq!(secrets.child.module, "reporter");
    assert_eq!(secrets.child.config, json!({ "precision": 8 }));
    assert_eq!(secrets.directory_secret, "per-host-secret");
    assert_eq!(
        secrets.database,
        Some(json!({ "url": "postgres://probe:probe-password@db/probe" }))
    );
    assert!(!setup["secrets"].as_str().unwrap().contains("users"));
    // The child deleted the file once it had read it.
    let secret_file = env["MODKIT_SECRET_FILE"].as_str().unwrap();
    assert!(!std::path::Path::new(secret_file).exists());

    within("stopping", backend.stop_all(PATIENCE)).await;
}
