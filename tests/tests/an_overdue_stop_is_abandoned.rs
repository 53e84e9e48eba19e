//! A `stop` that runs past its module's stop deadline (`modules.<name>.runtime.stop_timeout`)
//! is reported as timed out and abandoned; the other modules still stop and shutdown ends.

use std::time::Duration;

use modkit::Phase;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{HookOutcome, ModuleState};
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_stop_is_abandoned_at_its_own_deadline() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("first", &log)
        .stateful()
        .register(&mut builder);
    let stuck = RecordingModule::new("stuck", &log)
        .deps(&["first"])
        .stateful()
        .hang_in(Hook::Stop)
        .register(&mut builder);
    RecordingModule::new("third", &log)
        .deps(&["stuck"])
        .stateful()
        .register(&mut builder);
    // Only `stuck` gets a short deadline; the host-wide one stays at 30 s, longer than the
    // fixtures' patience, so shutdown ending at all shows the override was used.
    let config =
        ModulesConfig::empty().with_module_runtime("stuck", json!({ "stop_timeout": "100ms" }));

    let finished = TestHost::new(builder)
        .config(config)
        .run_until_ready_then_shut_down()
        .await;

    finished.assert_ok();
    assert_eq!(log.modules_called(Hook::Stop), ["third", "stuck", "first"]);
    let stuck_report = finished.report.module("stuck").unwrap();
    assert_eq!(
        stuck_report.hook(Phase::Stop).unwrap().outcome,
        HookOutcome::TimedOut {
            limit: Duration::from_millis(100)
        }
    );
    assert_eq!(stuck_report.state, ModuleState::Failed);
    for module in ["first", "third"] {
        let report = finished.report.module(module).unwrap();
        assert_eq!(
            report.hook(Phase::Stop).unwrap().outcome,
            HookOutcome::Ok,
            "{module}"
        );
        assert_eq!(report.state, ModuleState::Stopped, "{module}");
    }
    let token = stuck.stop_token().expect("stop was called");
    assert!(
        token.is_cancelled(),
        "the abandoned stop's token fires once its deadline passed"
    );
}
