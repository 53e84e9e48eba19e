//! A task spawned with `ctx.spawn` that ignores cancellation is aborted at its module's stop
//! deadline and named in the report's `leaked_tasks`; tasks that end on cancellation are not.

use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, RecordingModule, TestHost, task_ended};
use serde_json::json;

// Paused time: the 100 ms stop deadline passes only once every task that can run has run,
// so the cooperative tasks always end before it, however busy the machine is.
#[tokio::test(start_paused = true)]
async fn a_task_that_ignores_cancellation_is_named_and_aborted() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    let poller = RecordingModule::new("poller", &log)
        .stateful()
        .spawn_stubborn_task("stubborn-poller")
        .spawn_cooperative_task("polite-poller")
        .register(&mut builder);
    let tidy = RecordingModule::new("tidy", &log)
        .spawn_cooperative_task("tidy-worker")
        .register(&mut builder);
    let config =
        ModulesConfig::empty().with_module_runtime("poller", json!({ "stop_timeout": "100ms" }));

    let finished = TestHost::new(builder)
        .config(config)
        .run_until_ready_then_shut_down()
        .await;

    finished.assert_ok();
    assert_eq!(
        finished.report.module("poller").unwrap().leaked_tasks,
        ["stubborn-poller"]
    );
    assert!(
        finished
            .report
            .module("tidy")
            .unwrap()
            .leaked_tasks
            .is_empty()
    );
    // Aborting is asynchronous: the task is dropped the next time the runtime touches it.
    log.wait_for(task_ended("poller", "stubborn-poller")).await;
    assert_eq!(poller.aborted_tasks(), ["stubborn-poller"]);
    assert!(log.contains(task_ended("poller", "polite-poller")));
    assert!(tidy.aborted_tasks().is_empty());
    assert!(log.contains(task_ended("tidy", "tidy-worker")));
}
