//! `modkit::testing::TestHost` injects a fault into one module's hook with one line: the hook
//! fails, panics, pauses or hangs where it would begin, and the host handles it as a real
//! one (error naming module and phase, rollback of what started, deadlines).

use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit::runtime::{HookOutcome, RuntimeOptions};
use modkit::testing::{Fault, TestHost, TestHostError};
use modkit::{Phase, RegistryError};
use modkit_tests::{EventLog, error_chain, init, start, stop};

/// `first` <- `second` <- `third`, all stateful.
fn chain(log: &EventLog) -> RegistryBuilder {
    let mut builder = RegistryBuilder::default();
    modkit_tests::RecordingModule::new("first", log)
        .stateful()
        .register(&mut builder);
    modkit_tests::RecordingModule::new("second", log)
        .deps(&["first"])
        .stateful()
        .register(&mut builder);
    modkit_tests::RecordingModule::new("third", log)
        .deps(&["second"])
        .stateful()
        .register(&mut builder);
    builder
}

fn deadlines(start: Duration) -> RuntimeOptions {
    RuntimeOptions {
        start_timeout: start,
        stop_timeout: Duration::from_secs(5),
        ..RuntimeOptions::default()
    }
}

/// The start-up error's phase, module and cause chain.
fn startup_failure(error: TestHostError) -> (Phase, String, String) {
    match error {
        TestHostError::Startup(RegistryError::Phase {
            phase,
            module,
            source,
        }) => {
            let chain = error_chain(source.as_ref());
            (phase, module, chain)
        }
        other => panic!("not a phase failure at start-up: {other} ({other:?})"),
    }
}

#[tokio::test]
async fn a_failed_start_names_the_module_and_stops_what_had_started() {
    let log = EventLog::new();
    let error = TestHost::from_builder(chain(&log))
        .fail("second", Phase::Start)
        .start()
        .await
        .unwrap_err();
    let (phase, module, cause) = startup_failure(error);
    assert_eq!((phase, module.as_str()), (Phase::Start, "second"));
    assert!(
        cause.contains("injected fault: `second`'s start fails"),
        "{cause}"
    );
    // The fault struck before second's own start ran; first was rolled back.
    log.assert_absent(start("second"));
    log.assert_absent(start("third"));
    log.assert_before(start("first").returned(), stop("first"));
}

#[tokio::test]
async fn a_panicking_init_becomes_the_modules_error() {
    let log = EventLog::new();
    let error = TestHost::from_builder(chain(&log))
        .panic("third", Phase::Init)
        .start()
        .await
        .unwrap_err();
    let (phase, module, cause) = startup_failure(error);
    assert_eq!((phase, module.as_str()), (Phase::Init, "third"));
    assert!(
        cause.contains("injected fault: `third`'s init panics"),
        "{cause}"
    );
    log.assert_absent(init("third"));
    log.assert_absent(start("first"));
}

#[tokio::test(start_paused = true)]
async fn a_hanging_start_fails_at_its_deadline() {
    let log = EventLog::new();
    let error = TestHost::from_builder(chain(&log))
        .options(deadlines(Duration::from_secs(3)))
        .hang("first", Phase::Start)
        .start()
        .await
        .unwrap_err();
    let (phase, module, cause) = startup_failure(error);
    assert_eq!((phase, module.as_str()), (Phase::Start, "first"));
    assert!(cause.contains("deadline of 3s"), "{cause}");
    log.assert_absent(start("second"));
}

#[tokio::test(start_paused = true)]
async fn a_delayed_hook_runs_late_and_meets_or_misses_its_deadline() {
    // Within the deadline: the hook runs as written, after the pause.
    let log = EventLog::new();
    let host = TestHost::from_builder(chain(&log))
        .options(deadlines(Duration::from_secs(10)))
        .delay("second", Phase::Start, Duration::from_secs(9))
        .start()
        .await
        .expect("a 9 s pause meets a 10 s deadline");
    log.assert_before(start("second").returned(), start("third"));
    host.stop().await.expect("a clean stop");

    // Past it: start-up fails naming the module.
    let log = EventLog::new();
    let error = TestHost::from_builder(chain(&log))
        .options(deadlines(Duration::from_secs(10)))
        .delay("second", Phase::Start, Duration::from_secs(11))
        .start()
        .await
        .unwrap_err();
    let (phase, module, _) = startup_failure(error);
    assert_eq!((phase, module.as_str()), (Phase::Start, "second"));
    log.assert_absent(start("second"));
}

#[tokio::test]
async fn a_failing_stop_is_reported_and_the_others_still_stop() {
    let log = EventLog::new();
    let host = TestHost::from_builder(chain(&log))
        .fail("second", Phase::Stop)
        .start()
        .await
        .expect("start-up is untouched by a stop fault");
    let report = host.report().clone();
    host.stop()
        .await
        .expect("a failed stop does not fail the host");
    log.assert_subsequence(&[stop("third").returned(), stop("first").returned()]);
    log.assert_absent(stop("second"));
    let snapshot = report.snapshot();
    let second = snapshot
        .modules
        .iter()
        .find(|module| module.name == "second")
        .expect("second is in the report");
    let stop_outcome = second
        .hooks
        .iter()
        .find(|hook| hook.phase == Phase::Stop)
        .map(|hook| hook.outcome.clone());
    assert!(
        matches!(&stop_outcome, Some(HookOutcome::Failed { error }) if error.contains("injected fault")),
        "{stop_outcome:?}"
    );
}

#[tokio::test]
async fn faults_that_cannot_apply_are_refused_before_anything_runs() {
    let log = EventLog::new();
    let mut builder = chain(&log);
    modkit_tests::RecordingModule::new("plain", &log).register(&mut builder);
    modkit_tests::RecordingModule::new("sys", &log)
        .system()
        .register(&mut builder);
    let refused = |host: TestHost| async move { host.start().await.unwrap_err().to_string() };

    let unknown = refused(TestHost::from_builder(chain(&log)).fail("secnod", Phase::Init)).await;
    assert_eq!(
        unknown,
        "no linked module is named `secnod` (did you mean `second`?)"
    );
    let sync_pause = refused(TestHost::from_builder(builder).delay(
        "sys",
        Phase::PreInit,
        Duration::from_secs(1),
    ))
    .await;
    assert_eq!(
        sync_pause,
        "cannot inject a fault into `sys`'s pre_init: pre_init is synchronous: it can fail or \
         panic, not pause"
    );
    let mut builder = chain(&log);
    modkit_tests::RecordingModule::new("plain", &log).register(&mut builder);
    let not_stateful = refused(TestHost::from_builder(builder).fail("plain", Phase::Start)).await;
    assert_eq!(
        not_stateful,
        "cannot inject a fault into `plain`'s start: it does not declare the `stateful` \
         capability, so it has no such hook"
    );
    let not_a_hook = refused(TestHost::from_builder(chain(&log)).fail("first", Phase::Db)).await;
    assert_eq!(
        not_a_hook,
        "cannot inject a fault into `first`'s db: faults go into the module hooks: pre_init, \
         init, post_init, start, stop"
    );
    let twice = refused(
        TestHost::from_builder(chain(&log))
            .fail("first", Phase::Init)
            .inject("first", Phase::Init, Fault::Hang),
    )
    .await;
    assert_eq!(
        twice,
        "cannot inject a fault into `first`'s init: a fault for this hook was already injected"
    );
    assert!(log.calls().is_empty(), "no hook ran: {:?}", log.calls());
}
