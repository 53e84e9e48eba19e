//! A `#[modkit::lifecycle]` task that fails after its module is ready marks the module
//! `Failed` in the runtime report, while the host and the other modules keep running.

use std::sync::Arc;
use std::time::Duration;

use modkit::lifecycle::WithLifecycle;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{ModuleState, RuntimeReportHandle};
use modkit::{CancellationToken, Module, ModuleCtx, Phase, ReadySignal};
use modkit_tests::{EventLog, RecordingModule, TestHost, init, mark, within};
use tokio::sync::Notify;

/// Signals ready, then dies with an error once `die` is notified.
struct Doomed {
    name: &'static str,
    log: EventLog,
    die: Arc<Notify>,
}

#[modkit::async_trait]
impl Module for Doomed {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        self.log.record(init(self.name));
        Ok(())
    }
}

#[modkit::lifecycle(method = "run", await_ready)]
impl Doomed {
    async fn run(&self, _cancel: CancellationToken, ready: ReadySignal) -> anyhow::Result<()> {
        ready.notify();
        self.die.notified().await;
        self.log.record(mark(self.name, "dying"));
        anyhow::bail!("lost its upstream connection")
    }
}

fn register_doomed(
    name: &'static str,
    log: &EventLog,
    die: &Arc<Notify>,
    builder: &mut RegistryBuilder,
) {
    let module = Arc::new(Doomed {
        name,
        log: log.clone(),
        die: Arc::clone(die),
    });
    builder.register_core_with_meta(name, &[], module.clone());
    builder.register_stateful_with_meta(name, Arc::new(WithLifecycle::new(module)));
}

/// Polls (bounded) until `module` is in `state`.
async fn wait_for_state(report: &RuntimeReportHandle, module: &str, state: ModuleState) {
    within(&format!("waiting for `{module}` to be {state}"), async {
        while report.module_state(module) != Some(state) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_failing_after_start_up_marks_its_module_failed() {
    let log = EventLog::new();
    let die = Arc::new(Notify::new());
    let mut builder = RegistryBuilder::default();
    register_doomed("doomed", &log, &die, &mut builder);
    RecordingModule::new("steady", &log)
        .stateful()
        .register(&mut builder);

    let host = TestHost::new(builder).spawn();
    assert!(host.wait_ready().await, "start-up failed");
    assert_eq!(
        host.report().module_state("doomed"),
        Some(ModuleState::Ready)
    );

    die.notify_one();
    wait_for_state(host.report(), "doomed", ModuleState::Failed).await;
    assert!(log.contains(mark("doomed", "dying")));
    assert_eq!(
        host.report().module_state("steady"),
        Some(ModuleState::Ready)
    );
    assert!(
        host.report().is_ready(),
        "one failed module does not take the host down"
    );

    let finished = host.shut_down().await;
    finished.assert_ok();
    assert_eq!(
        finished.report.module("doomed").unwrap().state,
        ModuleState::Failed
    );
    assert_eq!(
        finished.report.module("steady").unwrap().state,
        ModuleState::Stopped
    );
}

/// Signals ready and dies at once.
struct DiesOnArrival;

#[modkit::async_trait]
impl Module for DiesOnArrival {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::lifecycle(method = "run", await_ready)]
impl DiesOnArrival {
    async fn run(&self, _cancel: CancellationToken, ready: ReadySignal) -> anyhow::Result<()> {
        ready.notify();
        anyhow::bail!("crashed right after signalling ready")
    }
}

/// Whichever way the race between "ready" and "died" goes, a module whose task is dead is
/// never left `Ready`: either start-up fails naming it, or it ends up `Failed`.
///
/// On the current-thread runtime the task always dies before the start phase resumes, so
/// each run exercises the race; twenty runs make a wrong outcome all but certain to show.
#[tokio::test(flavor = "current_thread")]
async fn a_task_that_dies_right_after_signalling_ready_is_never_left_ready() {
    for run in 0..20 {
        let mut builder = RegistryBuilder::default();
        let module = Arc::new(DiesOnArrival);
        builder.register_core_with_meta("short-lived", &[], module.clone());
        builder.register_stateful_with_meta("short-lived", Arc::new(WithLifecycle::new(module)));

        let host = TestHost::new(builder).spawn();
        if host.wait_ready().await {
            // Start-up succeeded: the task's death must still show.
            wait_for_state(host.report(), "short-lived", ModuleState::Failed).await;
            host.shut_down().await;
        } else {
            let finished = host.finish().await;
            assert_eq!(
                finished.error().phase_and_module(),
                Some((Phase::Start, "short-lived")),
                "run {run}"
            );
        }
    }
}
