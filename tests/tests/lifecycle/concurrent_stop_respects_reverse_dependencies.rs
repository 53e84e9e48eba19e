//! With `runtime.concurrency = 4`, independent modules stop side by side, but a module stops
//! only after every module that depends on it has stopped.

use std::sync::Arc;

use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, stop};
use tokio::sync::Barrier;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dependents_stop_first_and_siblings_stop_together() {
    let log = EventLog::new();
    // Both middles wait for each other in stop: run one at a time, they would hang until
    // the 30 s stop deadline, past the fixtures' patience.
    let middles = Arc::new(Barrier::new(2));
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("base", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("left", &log)
        .deps(&["base"])
        .stateful()
        .wait_in(Hook::Stop, middles.clone())
        .register(&mut builder);
    RecordingModule::new("right", &log)
        .deps(&["base"])
        .stateful()
        .wait_in(Hook::Stop, middles)
        .register(&mut builder);
    RecordingModule::new("top", &log)
        .deps(&["left", "right"])
        .stateful()
        .register(&mut builder);

    TestHost::new(builder)
        .concurrency(4)
        .run_until_ready_then_shut_down()
        .await
        .assert_ok();

    let top_returned = log.position(stop("top").returned()).expect("top stopped");
    let base_called = log.position(stop("base")).expect("base stopped");
    for middle in ["left", "right"] {
        let called = log.position(stop(middle)).expect("middle stop called");
        let returned = log
            .position(stop(middle).returned())
            .expect("middle stop returned");
        assert!(
            top_returned < called,
            "`{middle}` stopped before `top` finished: {log:?}"
        );
        assert!(
            returned < base_called,
            "`base` stopped before `{middle}` finished: {log:?}"
        );
    }
}
