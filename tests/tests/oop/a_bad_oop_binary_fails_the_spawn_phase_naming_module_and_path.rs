use std::sync::Arc;

use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::runtime::OopSpawnOptions;
use modkit::{Phase, RegistryError};
use modkit_tests::{EventLog, RecordingModule, StubDirectoryHub, TestHost, oop_section, stop};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_oop_binary_fails_the_spawn_phase_naming_module_and_path() {
    let missing = "/nonexistent/modkit/calculator-oop";
    let modules = ModulesConfig::new(json!({
        "calculator": oop_section(missing, &[], json!(null)),
    }));
    let backend = LocalProcessBackend::new(Arc::new(modules.clone()), "secret");
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    StubDirectoryHub::register(&mut builder);
    RecordingModule::new("worker", &log)
        .stateful()
        .register(&mut builder);
    let finished = TestHost::new(builder)
        .config(modules)
        .oop(OopSpawnOptions {
            modules: vec!["calculator".to_owned()],
            backend: Arc::new(backend),
        })
        .run_expecting_failure()
        .await;

    let error = finished.result.unwrap_err();
    assert!(
        matches!(&error, RegistryError::Phase { phase: Phase::OopSpawn, module, .. } if module == "calculator"),
        "{error:?}"
    );
    let message = format!("{:#}", anyhow::Error::from(error));
    assert!(message.contains("`calculator`"), "{message}");
    assert!(message.contains(missing), "{message}");
    // Start-up was rolled back.
    log.assert_subsequence(&[stop("worker")]);
}
