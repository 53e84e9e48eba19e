//! `modules.NAME.runtime.restart` on an in-process stateful module: when its lifecycle task
//! fails after start-up, the host stops the modules that depend on it (the last to start
//! first), starts the module again, then its dependents; past the crash-loop limit they are
//! left failed and readiness says so, while the other modules keep running.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use modkit::config::ModulesConfig;
use modkit::lifecycle::WithLifecycle;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{ModuleReport, ModuleState, RuntimeReportHandle};
use modkit::{CancellationToken, Module, ModuleCtx, ReadySignal};
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, mark, start, stop, within};
use serde_json::json;
use tokio::sync::Notify;

/// A lifecycle task that panics when `crash` is notified. From its `fail_from`th run on, it
/// fails before signalling ready instead, so that starting it again fails.
struct Flaky {
    log: EventLog,
    crash: Arc<Notify>,
    runs: AtomicU32,
    fail_from: u32,
}

#[modkit::async_trait]
impl Module for Flaky {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::lifecycle(method = "run", await_ready)]
impl Flaky {
    async fn run(&self, cancel: CancellationToken, ready: ReadySignal) -> anyhow::Result<()> {
        let run = self.runs.fetch_add(1, Ordering::SeqCst) + 1;
        self.log.record(mark("flaky", "runs"));
        if run >= self.fail_from {
            anyhow::bail!("cannot reach its upstream (run {run})");
        }
        ready.notify();
        tokio::select! {
            () = cancel.cancelled() => Ok(()),
            () = self.crash.notified() => panic!("upstream sent garbage"),
        }
    }
}

struct Host {
    log: EventLog,
    crash: Arc<Notify>,
    flaky: Arc<Flaky>,
    builder: RegistryBuilder,
}

/// `flaky` <- `mid` <- `top`, and `bystander` on its own; all stateful.
fn host(fail_from: u32) -> Host {
    let log = EventLog::new();
    let crash = Arc::new(Notify::new());
    let flaky = Arc::new(Flaky {
        log: log.clone(),
        crash: Arc::clone(&crash),
        runs: AtomicU32::new(0),
        fail_from,
    });
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("flaky", &[], flaky.clone());
    builder.register_stateful_with_meta("flaky", Arc::new(WithLifecycle::new(flaky.clone())));
    for module in [
        RecordingModule::new("mid", &log).deps(&["flaky"]),
        RecordingModule::new("top", &log).deps(&["mid"]),
        RecordingModule::new("bystander", &log),
    ] {
        module.stateful().register(&mut builder);
    }
    Host {
        log,
        crash,
        flaky,
        builder,
    }
}

fn supervised(max_restarts: u32) -> ModulesConfig {
    ModulesConfig::empty().with_module_runtime(
        "flaky",
        json!({ "restart": {
            "initial_backoff": "10ms",
            "max_backoff": "20ms",
            "max_restarts": max_restarts,
        }}),
    )
}

fn module(report: &RuntimeReportHandle, name: &str) -> ModuleReport {
    report
        .snapshot()
        .module(name)
        .cloned()
        .unwrap_or_else(|| panic!("no module `{name}` in the report"))
}

/// Polls (bounded) until `done` holds.
async fn wait_until(what: &str, done: impl Fn() -> bool) {
    within(what, async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_task_is_restarted_after_its_dependents_stop_and_before_they_start() {
    let Host {
        log,
        crash,
        flaky,
        builder,
    } = host(u32::MAX);
    let host = TestHost::new(builder).config(supervised(3)).spawn();
    assert!(host.wait_ready().await, "start-up failed");
    let report = host.report().clone();
    assert_eq!(log.modules_called(Hook::Stop), Vec::<&str>::new());

    crash.notify_one();
    wait_until("`flaky` restarted once and its dependents ready", || {
        module(&report, "flaky").restarts == 1
            && ["flaky", "mid", "top"]
                .iter()
                .all(|name| report.module_state(name) == Some(ModuleState::Ready))
            && log.modules_called(Hook::Start).len() == 5
    })
    .await;

    assert_eq!(flaky.runs.load(Ordering::SeqCst), 2);
    // The dependents stopped (the last started first), the module ran again, then the
    // dependents started again, dependencies first; the bystander was left alone.
    assert_eq!(log.modules_called(Hook::Stop), ["top", "mid"]);
    let starts = log.modules_called(Hook::Start);
    let count = |name: &str| starts.iter().filter(|&&started| started == name).count();
    assert_eq!((count("mid"), count("top"), count("bystander")), (2, 2, 1));
    assert_eq!(starts[3..], ["mid", "top"]);
    let events = log.events();
    let second_run = events
        .iter()
        .rposition(|event| *event == mark("flaky", "runs"))
        .expect("flaky ran");
    let position = |event| {
        events
            .iter()
            .rposition(|e| *e == event)
            .unwrap_or_else(|| panic!("{event:?} is not in the log"))
    };
    assert!(position(stop("mid")) < second_run);
    assert!(second_run < position(start("mid")));
    assert!(position(start("mid")) < position(start("top")));

    let flaky_report = module(&report, "flaky");
    let failure = flaky_report.last_failure.as_deref().unwrap_or_default();
    assert!(failure.contains("upstream sent garbage"), "{failure}");
    assert!(
        report.snapshot().unready_modules().is_empty(),
        "the host is ready again"
    );

    let finished = host.shut_down().await;
    finished.assert_ok();
    for name in ["flaky", "mid", "top", "bystander"] {
        assert_eq!(
            finished.report.module(name).map(|m| m.state),
            Some(ModuleState::Stopped),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_crash_loop_limit_the_module_and_its_dependents_stay_failed() {
    let Host {
        log,
        crash,
        flaky,
        builder,
    } = host(2);
    let host = TestHost::new(builder).config(supervised(2)).spawn();
    assert!(host.wait_ready().await, "start-up failed");
    let report = host.report().clone();

    crash.notify_one();
    wait_until("the supervisor giving up on `flaky`", || {
        module(&report, "flaky")
            .last_failure
            .is_some_and(|failure| failure.contains("gave up"))
    })
    .await;

    // The first run, then two restarts that each failed to start.
    assert_eq!(flaky.runs.load(Ordering::SeqCst), 3);
    assert_eq!(module(&report, "flaky").restarts, 0);
    for name in ["flaky", "mid", "top"] {
        assert_eq!(
            report.module_state(name),
            Some(ModuleState::Failed),
            "{name}"
        );
    }
    assert_eq!(
        report.module_state("bystander"),
        Some(ModuleState::Ready),
        "the rest of the host keeps serving"
    );
    // `/readyz` answers from these: 503 naming each failed module.
    let unready: Vec<String> = report
        .snapshot()
        .unready_modules()
        .into_iter()
        .map(|unready| unready.module)
        .collect();
    assert_eq!(unready, ["flaky", "mid", "top"]);
    assert_eq!(log.modules_called(Hook::Stop), ["top", "mid"]);

    let finished = host.shut_down().await;
    finished.assert_ok();
    // The modules stopped for the restart get no second `stop` at shutdown.
    assert_eq!(log.modules_called(Hook::Stop), ["top", "mid", "bystander"]);
}

#[tokio::test]
async fn restart_on_a_module_without_start_and_stop_fails_start_up_naming_the_key() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("plain", &log).register(&mut builder);
    let config = ModulesConfig::empty().with_module_runtime("plain", json!({ "restart": {} }));
    let finished = TestHost::new(builder)
        .config(config)
        .run_until_ready_then_shut_down()
        .await;
    let error = finished.error().to_string();
    assert!(
        error.contains("modules.plain.runtime.restart") && error.contains("not stateful"),
        "{error}"
    );
    assert_eq!(log.modules_called(Hook::Init), Vec::<&str>::new());
}

#[tokio::test]
async fn a_malformed_restart_section_fails_start_up_naming_the_field() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("ticking", &log)
        .stateful()
        .register(&mut builder);
    let config = ModulesConfig::empty()
        .with_module_runtime("ticking", json!({ "restart": { "max_restarts": "many" } }));
    let finished = TestHost::new(builder)
        .config(config)
        .run_until_ready_then_shut_down()
        .await;
    let error = finished.error().to_string();
    assert!(
        error.contains("modules.ticking.runtime.restart.max_restarts"),
        "{error}"
    );
}
