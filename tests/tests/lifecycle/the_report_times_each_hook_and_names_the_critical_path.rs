//! The runtime report charges each hook its own time, also when hooks run one after
//! another and share clock readings, and names the dependency chain that set the start-up
//! time as the critical path.

use std::sync::Arc;
use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit::runtime::{Phase, RuntimeReport};
use modkit::{CancellationToken, Module, ModuleCtx, RunnableCapability};
use modkit_tests::TestHost;

/// A module whose `init` (and, if stateful, `start`) sleeps for a while.
struct Sleeper {
    init: Duration,
    start: Duration,
}

impl Sleeper {
    fn register(
        builder: &mut RegistryBuilder,
        name: &'static str,
        deps: &'static [&'static str],
        init: u64,
        start: Option<u64>,
    ) {
        let module = Arc::new(Self {
            init: Duration::from_millis(init),
            start: Duration::from_millis(start.unwrap_or(0)),
        });
        builder.register_core_with_meta(name, deps, module.clone());
        if start.is_some() {
            builder.register_stateful_with_meta(name, module);
        }
    }
}

#[modkit::async_trait]
impl Module for Sleeper {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        tokio::time::sleep(self.init).await;
        Ok(())
    }
}

#[modkit::async_trait]
impl RunnableCapability for Sleeper {
    async fn start(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        tokio::time::sleep(self.start).await;
        Ok(())
    }

    async fn stop(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn hook_time(report: &RuntimeReport, module: &str, phase: Phase) -> Duration {
    let module = report.module(module).expect("the module is in the report");
    module
        .hooks
        .iter()
        .find(|hook| hook.phase == phase)
        .map(|hook| hook.duration)
        .unwrap_or_else(|| panic!("{} has no {phase} hook", module.name))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_times_each_hook_and_names_the_critical_path() {
    let mut builder = RegistryBuilder::default();
    Sleeper::register(&mut builder, "base", &[], 0, None);
    Sleeper::register(&mut builder, "slow", &["base"], 60, None);
    Sleeper::register(&mut builder, "after-slow", &["slow"], 0, Some(0));
    Sleeper::register(&mut builder, "aside", &[], 0, Some(20));

    let host = TestHost::new(builder).spawn();
    assert!(host.wait_ready().await, "start-up failed");
    let report = host.report().snapshot();

    assert!(hook_time(&report, "slow", Phase::Init) >= Duration::from_millis(60));
    assert!(hook_time(&report, "aside", Phase::Start) >= Duration::from_millis(20));
    // Hooks that run right after a slow one are not charged for it.
    for (module, phase) in [
        ("base", Phase::Init),
        ("after-slow", Phase::Init),
        ("after-slow", Phase::Start),
        ("aside", Phase::Init),
    ] {
        let took = hook_time(&report, module, phase);
        assert!(
            took < Duration::from_millis(20),
            "{module} {phase}: {took:?}"
        );
    }
    assert_eq!(report.critical_path, ["base", "slow", "after-slow"]);

    host.shut_down().await.assert_ok();
}
