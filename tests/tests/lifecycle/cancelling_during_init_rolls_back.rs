//! Cancelling the host while an `init` is blocked ends start-up promptly with
//! `RegistryError::Cancelled { phase: Init }`, and rolls back what was done: the modules
//! already initialised have their tokens cancelled and their tasks drained.

use modkit::registry::RegistryBuilder;
use modkit::runtime::HostState;
use modkit::{Phase, RegistryError};
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, init, task_ended};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_blocked_init_returns_cancelled_and_rolls_back() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    let ready = RecordingModule::new("ready", &log)
        .spawn_cooperative_task("ready-worker")
        .register(&mut builder);
    let blocked = RecordingModule::new("blocked", &log)
        .deps(&["ready"])
        .hang_in(Hook::Init)
        .register(&mut builder);
    RecordingModule::new("later", &log)
        .deps(&["blocked"])
        .register(&mut builder);

    // The host's default deadlines are 30 s: ending within `PATIENCE` shows cancellation
    // does not wait for a deadline.
    let host = TestHost::new(builder).spawn();
    log.wait_for(init("blocked")).await;
    host.cancel_token().cancel();
    let finished = host.finish().await;

    assert!(
        matches!(
            finished.error(),
            RegistryError::Cancelled { phase: Phase::Init }
        ),
        "{:?}",
        finished.error()
    );
    assert_eq!(finished.report.host_state, HostState::Failed);
    log.assert_absent(init("blocked").returned());
    log.assert_absent(init("later"));

    let ready_ctx = ready.ctx().expect("`ready` was initialised");
    assert!(
        ready_ctx.cancellation_token().is_cancelled(),
        "`ready`'s token was not cancelled"
    );
    assert!(
        log.contains(task_ended("ready", "ready-worker")),
        "`ready`'s task was not drained: {log:?}"
    );
    assert!(
        ready.aborted_tasks().is_empty(),
        "the cooperative task should have finished, not been aborted"
    );
    let blocked_ctx = blocked.ctx().expect("`blocked`'s init began");
    assert!(
        blocked_ctx.cancellation_token().is_cancelled(),
        "`blocked`'s token was not cancelled"
    );
}
