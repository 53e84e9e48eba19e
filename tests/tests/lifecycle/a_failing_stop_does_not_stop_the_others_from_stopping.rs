//! A module whose `stop` fails is reported, and every other module still stops; shutdown
//! itself succeeds.

use modkit::Phase;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{HookOutcome, ModuleState};
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_modules_around_a_failing_stop_still_stop() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("first", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("second", &log)
        .deps(&["first"])
        .stateful()
        .fail_in(Hook::Stop)
        .register(&mut builder);
    RecordingModule::new("third", &log)
        .deps(&["second"])
        .stateful()
        .register(&mut builder);

    let finished = TestHost::new(builder)
        .run_until_ready_then_shut_down()
        .await;

    finished.assert_ok();
    assert_eq!(log.modules_called(Hook::Stop), ["third", "second", "first"]);
    let report = &finished.report;
    let second_stop = report
        .module("second")
        .unwrap()
        .hook(Phase::Stop)
        .expect("second's stop is reported");
    assert!(
        matches!(&second_stop.outcome, HookOutcome::Failed { error } if error.contains("told to fail")),
        "{second_stop:?}"
    );
    for module in ["first", "third"] {
        assert_eq!(
            report
                .module(module)
                .unwrap()
                .hook(Phase::Stop)
                .unwrap()
                .outcome,
            HookOutcome::Ok
        );
    }
    assert_eq!(report.module("second").unwrap().state, ModuleState::Failed);
    assert_eq!(report.module("first").unwrap().state, ModuleState::Stopped);
    assert_eq!(report.module("third").unwrap().state, ModuleState::Stopped);
}
