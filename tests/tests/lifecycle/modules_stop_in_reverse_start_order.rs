//! At shutdown, runnable modules stop in the reverse of the order they started, each
//! exactly once, and modules without the `stateful` capability get no `stop`.

use modkit::registry::RegistryBuilder;
use modkit::runtime::ModuleState;
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, start, stop};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_stops_modules_in_reverse_start_order() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("base", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("middle", &log)
        .deps(&["base"])
        .stateful()
        .register(&mut builder);
    RecordingModule::new("config-only", &log)
        .deps(&["base"])
        .register(&mut builder);
    RecordingModule::new("top", &log)
        .deps(&["middle", "config-only"])
        .stateful()
        .register(&mut builder);
    RecordingModule::new("gateway", &log)
        .system()
        .stateful()
        .register(&mut builder);

    let finished = TestHost::new(builder)
        .run_until_ready_then_shut_down()
        .await;
    finished.assert_ok();

    let started = log.modules_called(Hook::Start);
    assert_eq!(started, ["gateway", "base", "middle", "top"]);
    let mut reversed = started.clone();
    reversed.reverse();
    assert_eq!(log.modules_called(Hook::Stop), reversed);
    log.assert_subsequence(&[
        start("top"),
        stop("top"),
        stop("middle"),
        stop("base"),
        stop("gateway"),
    ]);
    log.assert_absent(stop("config-only"));

    for module in ["base", "middle", "config-only", "top", "gateway"] {
        let state = finished.report.module(module).unwrap().state;
        assert_eq!(state, ModuleState::Stopped, "{module}");
    }
}
