//! A `start` that runs past its module's start deadline (`modules.<name>.runtime.start_timeout`)
//! fails start-up with an error naming the module and the start phase, caused by
//! `HookTimedOut`; the modules already started are stopped.

use std::time::Duration;

use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{HookOutcome, HookTimedOut};
use modkit::{Phase, RegistryError};
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_past_its_deadline_fails_start_up() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("quick", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("slow", &log)
        .deps(&["quick"])
        .stateful()
        .hang_in(Hook::Start)
        .register(&mut builder);
    RecordingModule::new("after", &log)
        .deps(&["slow"])
        .stateful()
        .register(&mut builder);
    let config =
        ModulesConfig::empty().with_module_runtime("slow", json!({ "start_timeout": "100ms" }));

    let finished = TestHost::new(builder)
        .config(config)
        .run_expecting_failure()
        .await;

    let error = finished.error();
    let RegistryError::Phase {
        phase,
        module,
        source,
    } = error
    else {
        panic!("expected a phase error, got {error:?}");
    };
    assert_eq!((*phase, module.as_str()), (Phase::Start, "slow"));
    assert_eq!(
        source.downcast_ref::<HookTimedOut>(),
        Some(&HookTimedOut {
            limit: Duration::from_millis(100)
        }),
        "{source:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("`slow`") && message.contains("start"),
        "{message}"
    );
    assert!(matches!(
        finished
            .report
            .module("slow")
            .unwrap()
            .hook(Phase::Start)
            .unwrap()
            .outcome,
        HookOutcome::TimedOut { .. }
    ));
    assert_eq!(log.modules_called(Hook::Start), ["quick", "slow"]);
    assert_eq!(log.modules_called(Hook::Stop), ["quick"]);
}
