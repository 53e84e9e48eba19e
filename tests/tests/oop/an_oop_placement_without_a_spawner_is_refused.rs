//! A module configured `runtime.type: oop` in a host with no out-of-process spawner fails
//! start-up before any hook runs, naming the module and the key, rather than quietly
//! running in-process.

use modkit::RegistryError;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, RecordingModule, TestHost};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configured_oop_without_a_spawner_fails_before_any_hook() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("calculator", &log)
        .stateful()
        .register(&mut builder);
    let config = ModulesConfig::empty()
        .with_module_runtime("calculator", serde_json::json!({ "type": "oop" }));

    let finished = TestHost::new(builder)
        .config(config)
        .run_expecting_failure()
        .await;

    match finished.error() {
        RegistryError::InvalidModuleSettings { module, reason } => {
            assert_eq!(module, "calculator");
            assert!(
                reason.contains("`modules.calculator.runtime.type`"),
                "{reason}"
            );
        }
        other => panic!("expected InvalidModuleSettings, got {other:?}"),
    }
    assert!(log.events().is_empty(), "{log:?}");
}
