//! The token `stop` receives is not cancelled yet, at shutdown and on rollback alike: it
//! fires only when the module's stop deadline passes.

use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_at_shutdown_gets_a_live_token() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    let probe = RecordingModule::new("graceful", &log)
        .stateful()
        .register(&mut builder);

    let finished = TestHost::new(builder)
        .run_until_ready_then_shut_down()
        .await;

    finished.assert_ok();
    assert_eq!(probe.stop_token_was_cancelled_on_entry(), Some(false));
    let ctx = probe.ctx().unwrap();
    assert!(
        ctx.cancellation_token().is_cancelled(),
        "the module's own token fires when it stops"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_on_rollback_gets_a_live_token() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    let probe = RecordingModule::new("graceful", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("broken", &log)
        .deps(&["graceful"])
        .stateful()
        .fail_in(Hook::Start)
        .register(&mut builder);

    let finished = TestHost::new(builder).run_expecting_failure().await;

    finished.error();
    assert_eq!(log.modules_called(Hook::Stop), ["graceful"]);
    assert_eq!(probe.stop_token_was_cancelled_on_entry(), Some(false));
}
