//! A `stop` that runs past its module's stop deadline (`modules.<name>.runtime.stop_timeout`)
//! is reported as timed out and abandoned; the other modules still stop and shutdown ends.

use std::time::Duration;

use modkit::Phase;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{HookOutcome, ModuleState};
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_stop_is_abandoned_at_its_own_deadline() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("first", &log)
        .stateful()
        .register(&mut builder);
    let stuck = RecordingModule::new("stuck", &log)
        .deps(&["first"])
        .stateful()
        .hang_in(Hook::Stop)
        .register(&mut builder);
    RecordingModule::new("third", &log)
        .deps(&["stuck"])
        .stateful()
        .register(&mut builder);
    // Only `stuck` gets a short deadline; the host-wide one stays at 30 s, longer than the
    // fixtures' patience, so shutdown ending at all shows the override was used.
    let config =
        ModulesConfig::empty().with_module_runtime("stuck", json!({ "stop_timeout": "100ms" }));

    let finished = TestHost::new(builder)
        .config(config)
        .run_until_ready_then_shut_down()
        .await;

    finished.assert_ok();
    assert_eq!(log.modules_called(Hook::Stop), ["third", "stuck", "first"]);
    let stuck_report = finished.report.module("stuck").unwrap();
    assert_eq!(
        stuck_report.hook(Phase::Stop).unwrap().outcome,
        HookOutcome::TimedOut {
            limit: Duration::from_millis(100)
        }
    );
    assert_eq!(stuck_report.state, ModuleState::Failed);
    for module in ["first", "third"] {
        let report = finished.report.module(module).unwrap();
        assert_eq!(
            report.hook(Phase::Stop).unwrap().outcome,
            HookOutcome::Ok,
            "{module}"
        );
        assert_eq!(report.state, ModuleState::Stopped, "{module}");
    }
    let token = stuck.stop_token().expect("stop was called");
    assert!(
        token.is_cancelled(),
        "the abandoned stop's token fires once its deadline passed"
    );
}

/// A `#[lifecycle]` task that never looks at its token and awaits something that never
/// completes: its module's `stop_timeout` bounds the stop, and the task is aborted then.
#[derive(Default)]
#[modkit::module(name = "deaf-ticker", capabilities = [stateful])]
struct DeafTicker;

#[modkit::async_trait]
impl modkit::Module for DeafTicker {
    async fn init(&self, _ctx: &modkit::ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::lifecycle(method = "run", stop_timeout = "1s")]
impl DeafTicker {
    async fn run(&self, _cancel: modkit::CancellationToken) -> anyhow::Result<()> {
        std::future::pending::<()>().await;
        Ok(())
    }
}

// Paused time: the clock jumps straight to the next timer, so the test takes no real second
// and the elapsed time it reads is exactly what the runtime waited for.
#[tokio::test(start_paused = true)]
async fn a_lifecycle_task_that_ignores_its_token_is_aborted_at_its_stop_timeout() {
    let host = modkit::testing::TestHost::with_modules(["deaf-ticker"])
        .patience(Duration::from_secs(120))
        .start()
        .await
        .expect("the host starts");
    let report = host.report().clone();
    let began = tokio::time::Instant::now();
    let stopped = host.stop().await;
    let waited = began.elapsed();

    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(2),
        "stop waited {waited:?}, not the task's stop_timeout of 1s: {stopped:?}"
    );
    let snapshot = report.snapshot();
    let module = snapshot.module("deaf-ticker").unwrap();
    assert_eq!(module.state, ModuleState::Failed, "{module:?}");
}
