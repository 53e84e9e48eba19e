//! When `start` fails at module k of n, exactly the k-1 modules already started are
//! stopped, in reverse order; modules after k never start; the error names module k and
//! the start phase.

use modkit::registry::RegistryBuilder;
use modkit::runtime::HostState;
use modkit::{Phase, RegistryError};
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, start, stop};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_start_stops_exactly_the_started_modules_in_reverse() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("m1", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("m2", &log)
        .deps(&["m1"])
        .stateful()
        .register(&mut builder);
    RecordingModule::new("m3", &log)
        .deps(&["m2"])
        .stateful()
        .register(&mut builder);
    RecordingModule::new("m4", &log)
        .deps(&["m3"])
        .stateful()
        .fail_in(Hook::Start)
        .register(&mut builder);
    RecordingModule::new("m5", &log)
        .deps(&["m4"])
        .stateful()
        .register(&mut builder);
    RecordingModule::new("m6", &log)
        .deps(&["m5"])
        .stateful()
        .register(&mut builder);

    let finished = TestHost::new(builder).run_expecting_failure().await;

    let error = finished.error();
    match error {
        RegistryError::Phase {
            phase,
            module,
            source,
        } => {
            assert_eq!(*phase, Phase::Start);
            assert_eq!(module, "m4");
            assert!(source.to_string().contains("told to fail"), "{source}");
        }
        other => panic!("expected a start failure of `m4`, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("`m4`") && message.contains("start"),
        "{message}"
    );

    assert_eq!(log.modules_called(Hook::Start), ["m1", "m2", "m3", "m4"]);
    assert_eq!(log.modules_called(Hook::Stop), ["m3", "m2", "m1"]);
    log.assert_subsequence(&[start("m4"), stop("m3"), stop("m2"), stop("m1")]);
    for never in ["m5", "m6"] {
        log.assert_absent(start(never));
        log.assert_absent(stop(never));
    }
    log.assert_absent(stop("m4"));
    assert_eq!(finished.report.host_state, HostState::Failed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_first_start_stops_nothing() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("m1", &log)
        .stateful()
        .fail_in(Hook::Start)
        .register(&mut builder);
    RecordingModule::new("m2", &log)
        .deps(&["m1"])
        .stateful()
        .register(&mut builder);

    let finished = TestHost::new(builder).run_expecting_failure().await;

    assert_eq!(
        finished.error().phase_and_module(),
        Some((Phase::Start, "m1"))
    );
    assert_eq!(log.modules_called(Hook::Start), ["m1"]);
    assert!(log.modules_called(Hook::Stop).is_empty(), "{log:?}");
}
