//! A panic in `init`, `start` or `stop` becomes that module's error (a `HookPanicked`
//! cause, or a `Panicked` outcome in the report for stop); the process lives on.

use modkit::registry::RegistryBuilder;
use modkit::runtime::{HookOutcome, HookPanicked, ModuleState};
use modkit::{Phase, RegistryError};
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, error_chain};

fn panic_cause(error: &RegistryError) -> &HookPanicked {
    match error {
        RegistryError::Phase { source, .. } => source
            .downcast_ref::<HookPanicked>()
            .unwrap_or_else(|| panic!("the cause is not a HookPanicked: {}", error_chain(error))),
        other => panic!("expected a phase error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_init_becomes_the_modules_init_error() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("calm", &log).register(&mut builder);
    RecordingModule::new("boom", &log)
        .deps(&["calm"])
        .panic_in(Hook::Init)
        .register(&mut builder);

    let finished = TestHost::new(builder).run_expecting_failure().await;

    let error = finished.error();
    assert_eq!(error.phase_and_module(), Some((Phase::Init, "boom")));
    assert!(
        panic_cause(error)
            .message
            .contains("`boom` was told to panic"),
        "{error:?}"
    );
    assert_eq!(
        finished.report.module("boom").unwrap().state,
        ModuleState::Failed
    );
    assert!(matches!(
        finished
            .report
            .module("boom")
            .unwrap()
            .hook(Phase::Init)
            .unwrap()
            .outcome,
        HookOutcome::Panicked { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_start_becomes_the_modules_start_error_and_rolls_back() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("calm", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("boom", &log)
        .deps(&["calm"])
        .stateful()
        .panic_in(Hook::Start)
        .register(&mut builder);

    let finished = TestHost::new(builder).run_expecting_failure().await;

    let error = finished.error();
    assert_eq!(error.phase_and_module(), Some((Phase::Start, "boom")));
    assert!(
        panic_cause(error)
            .message
            .contains("`boom` was told to panic"),
        "{error:?}"
    );
    assert_eq!(log.modules_called(Hook::Stop), ["calm"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_stop_is_reported_and_the_others_still_stop() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("calm", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("boom", &log)
        .deps(&["calm"])
        .stateful()
        .panic_in(Hook::Stop)
        .register(&mut builder);
    RecordingModule::new("top", &log)
        .deps(&["boom"])
        .stateful()
        .register(&mut builder);

    let finished = TestHost::new(builder)
        .run_until_ready_then_shut_down()
        .await;

    finished.assert_ok();
    assert_eq!(log.modules_called(Hook::Stop), ["top", "boom", "calm"]);
    let boom = finished.report.module("boom").unwrap();
    assert!(
        matches!(&boom.hook(Phase::Stop).unwrap().outcome, HookOutcome::Panicked { message } if message.contains("`boom` was told to panic")),
        "{boom:?}"
    );
    assert_eq!(boom.state, ModuleState::Failed);
    assert_eq!(
        finished.report.module("calm").unwrap().state,
        ModuleState::Stopped
    );
}
