//! With `runtime.concurrency = 4`, the inits of independent modules overlap, and a module
//! begins only after every module it depends on has finished.
//!
//! Overlap is proved with a barrier, not a clock: four inits each wait until all four are
//! waiting, which deadlocks (and fails the bounded wait) if they run one at a time.

use std::sync::Arc;

use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, init};
use tokio::sync::Barrier;

const WORKERS: [&str; 4] = ["w1", "w2", "w3", "w4"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_independent_inits_run_side_by_side() {
    let log = EventLog::new();
    let all_four = Arc::new(Barrier::new(4));
    let mut builder = RegistryBuilder::default();
    for worker in WORKERS {
        RecordingModule::new(worker, &log)
            .wait_in(Hook::Init, all_four.clone())
            .register(&mut builder);
    }
    RecordingModule::new("joiner", &log)
        .deps(&WORKERS)
        .register(&mut builder);

    let finished = TestHost::new(builder)
        .concurrency(4)
        .run_until_ready_then_shut_down()
        .await;

    finished.assert_ok();
    let joiner = log.position(init("joiner")).expect("joiner initialised");
    for worker in WORKERS {
        let returned = log
            .position(init(worker).returned())
            .expect("worker init returned");
        assert!(
            returned < joiner,
            "`joiner` began before `{worker}` finished: {log:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_never_begins_before_its_slowest_dependency_finishes() {
    let log = EventLog::new();
    // `slow` is held until `fast-2` (which does not depend on it) is running, so `fast-1`
    // and `fast-2` are done long before `slow` finishes.
    let slow_gate = Arc::new(Barrier::new(2));
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("slow", &log)
        .wait_in(Hook::Init, slow_gate.clone())
        .register(&mut builder);
    RecordingModule::new("fast-1", &log).register(&mut builder);
    RecordingModule::new("fast-2", &log)
        .deps(&["fast-1"])
        .wait_in(Hook::Init, slow_gate)
        .register(&mut builder);
    RecordingModule::new("needs-all", &log)
        .deps(&["slow", "fast-1", "fast-2"])
        .register(&mut builder);

    TestHost::new(builder)
        .concurrency(4)
        .run_until_ready_then_shut_down()
        .await
        .assert_ok();

    let begins = log
        .position(init("needs-all"))
        .expect("needs-all initialised");
    for dependency in ["slow", "fast-1", "fast-2"] {
        let returned = log
            .position(init(dependency).returned())
            .expect("dependency returned");
        assert!(
            returned < begins,
            "`needs-all` began before `{dependency}` finished: {log:?}"
        );
    }
    log.assert_subsequence(&[init("fast-1").returned(), init("fast-2")]);
}
