//! An `init` or `post_init` still running at its deadline (`runtime.init_timeout`,
//! `runtime.post_init_timeout`, per module under `modules.<name>.runtime`) fails start-up
//! with an error naming the module, the hook and the deadline, and start-up is rolled back:
//! the modules already initialised have their tasks drained. Time is paused, so the
//! deadlines pass without waiting for them.

use std::time::Duration;

use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{HookOutcome, HookTimedOut, HostState};
use modkit::{Phase, RegistryError, RuntimeOptions};
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, error_chain, init, task_ended};
use serde_json::json;

fn assert_timed_out(error: &RegistryError, hook: Phase, module: &str, limit: Duration) {
    let RegistryError::Phase {
        phase,
        module: failed,
        source,
    } = error
    else {
        panic!("expected a phase error, got {error:?}");
    };
    assert_eq!((*phase, failed.as_str()), (hook, module));
    assert_eq!(
        source.downcast_ref::<HookTimedOut>(),
        Some(&HookTimedOut { limit }),
        "{source:?}"
    );
    let message = error_chain(error);
    for part in [
        format!("`{module}`"),
        hook.as_str().to_owned(),
        format!("deadline of {limit:?}"),
    ] {
        assert!(
            message.contains(&part),
            "`{part}` is missing from: {message}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn an_init_past_its_deadline_fails_start_up_and_rolls_back() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("deadline-ready", &log)
        .spawn_cooperative_task("ready-worker")
        .register(&mut builder);
    RecordingModule::new("deadline-slow", &log)
        .deps(&["deadline-ready"])
        .hang_in(Hook::Init)
        .register(&mut builder);
    RecordingModule::new("deadline-later", &log)
        .deps(&["deadline-slow"])
        .register(&mut builder);
    let config = ModulesConfig::empty()
        .with_module_runtime("deadline-slow", json!({ "init_timeout": "3s" }));

    let finished = TestHost::new(builder)
        .config(config)
        .run_expecting_failure()
        .await;

    assert_timed_out(
        finished.error(),
        Phase::Init,
        "deadline-slow",
        Duration::from_secs(3),
    );
    let slow = finished.report.module("deadline-slow").unwrap();
    assert_eq!(
        slow.hook(Phase::Init).unwrap().outcome,
        HookOutcome::TimedOut {
            limit: Duration::from_secs(3)
        }
    );
    assert_eq!(
        slow.hook_in_progress, None,
        "a timed-out hook no longer runs"
    );
    assert_eq!(finished.report.host_state, HostState::Failed);
    log.assert_absent(init("deadline-later"));
    assert!(
        log.contains(task_ended("deadline-ready", "ready-worker")),
        "rollback did not drain the initialised module's task: {log:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_post_init_past_the_host_deadline_fails_start_up() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("deadline-system", &log)
        .system()
        .hang_in(Hook::PostInit)
        .register(&mut builder);
    RecordingModule::new("deadline-stateful", &log)
        .stateful()
        .register(&mut builder);

    let finished = TestHost::new(builder)
        .options(RuntimeOptions {
            post_init_timeout: Duration::from_secs(2),
            ..RuntimeOptions::default()
        })
        .run_expecting_failure()
        .await;

    assert_timed_out(
        finished.error(),
        Phase::PostInit,
        "deadline-system",
        Duration::from_secs(2),
    );
    assert!(log.modules_called(Hook::Start).is_empty());
}
