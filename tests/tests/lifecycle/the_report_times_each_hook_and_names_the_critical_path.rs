//! The runtime report charges each hook its own time, also when hooks run one after
//! another and share clock readings, and names the dependency chain that set the start-up
//! time as the critical path.
//!
//! The report reads the wall clock, so no bound here guesses how fast the machine is. Each
//! hook notes when its body began and ended; hooks run one at a time, so a hook's reported
//! time lies between what its body took and the gap between the hooks on either side of
//! it. A hook charged for the one before it breaks the upper bound.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use modkit::registry::RegistryBuilder;
use modkit::runtime::{Phase, RuntimeReport};
use modkit::{CancellationToken, Module, ModuleCtx, RunnableCapability};
use modkit_tests::TestHost;

/// When a hook's body ran.
#[derive(Debug, Clone, Copy)]
struct Span {
    module: &'static str,
    phase: Phase,
    began: Instant,
    ended: Instant,
}

/// Every hook body of a run, in the order they ran, and when the run began.
#[derive(Debug, Clone)]
struct Timeline {
    origin: Instant,
    spans: Arc<Mutex<Vec<Span>>>,
}

impl Timeline {
    /// A timeline of a run that begins now.
    fn begin() -> Self {
        Self {
            origin: Instant::now(),
            spans: Arc::default(),
        }
    }

    fn record(&self, span: Span) {
        self.spans.lock().unwrap().push(span);
    }

    fn spans(&self) -> Vec<Span> {
        self.spans.lock().unwrap().clone()
    }
}

/// How long a hook's body lasts.
#[derive(Debug, Clone, Copy)]
enum Work {
    /// At least this long.
    For(Duration),
    /// At least this long, and longer than the whole run before it, so that no module that
    /// ran its hooks before it can cost as much, however slow the machine is.
    OutlastingTheRunFor(Duration),
}

/// A module whose `init` (and, if stateful, `start`) works for a while.
struct Sleeper {
    name: &'static str,
    init: Work,
    start: Work,
    timeline: Timeline,
}

impl Sleeper {
    fn register(
        builder: &mut RegistryBuilder,
        timeline: &Timeline,
        name: &'static str,
        deps: &'static [&'static str],
        init: Work,
        start: Option<Work>,
    ) {
        let module = Arc::new(Self {
            name,
            init,
            start: start.unwrap_or(Work::For(Duration::ZERO)),
            timeline: timeline.clone(),
        });
        builder.register_core_with_meta(name, deps, module.clone());
        if start.is_some() {
            builder.register_stateful_with_meta(name, module);
        }
    }

    /// Does `work` as the body of this module's `phase` hook, noting when it ran.
    async fn work(&self, phase: Phase, work: Work) {
        let began = Instant::now();
        let duration = match work {
            Work::For(duration) => duration,
            // A millisecond more, so that it is strictly longer even on a coarse clock.
            Work::OutlastingTheRunFor(duration) => duration
                .max(began - self.timeline.origin)
                .saturating_add(Duration::from_millis(1)),
        };
        tokio::time::sleep(duration).await;
        self.timeline.record(Span {
            module: self.name,
            phase,
            began,
            ended: Instant::now(),
        });
    }
}

#[modkit::async_trait]
impl Module for Sleeper {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        self.work(Phase::Init, self.init).await;
        Ok(())
    }
}

#[modkit::async_trait]
impl RunnableCapability for Sleeper {
    async fn start(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        self.work(Phase::Start, self.start).await;
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
    let timeline = Timeline::begin();
    let ms = |ms| Work::For(Duration::from_millis(ms));
    // Hooks run in dependency order, ties by name: the inits of aside, base, slow and
    // after-slow, then the starts of base (slow) and after-slow (right after it).
    let (none, slow) = (ms(0), Work::OutlastingTheRunFor(Duration::from_millis(60)));
    let modules: [(_, &'static [&'static str], _, _); 4] = [
        ("aside", &[], none, None),
        ("base", &[], none, Some(ms(20))),
        ("slow", &["base"], slow, None),
        ("after-slow", &["slow"], none, Some(none)),
    ];
    for (name, deps, init, start) in modules {
        Sleeper::register(&mut builder, &timeline, name, deps, init, start);
    }

    let host = TestHost::new(builder).spawn();
    assert!(host.wait_ready().await, "start-up failed");
    let ready_seen = Instant::now();
    let report = host.report().snapshot();

    let spans = timeline.spans();
    let ran: Vec<(&str, Phase)> = spans.iter().map(|s| (s.module, s.phase)).collect();
    assert_eq!(
        ran,
        [
            ("aside", Phase::Init),
            ("base", Phase::Init),
            ("slow", Phase::Init),
            ("after-slow", Phase::Init),
            ("base", Phase::Start),
            ("after-slow", Phase::Start),
        ]
    );
    for (i, span) in spans.iter().enumerate() {
        let took = hook_time(&report, span.module, span.phase);
        let before = i.checked_sub(1).map_or(timeline.origin, |j| spans[j].ended);
        let after = spans.get(i + 1).map_or(ready_seen, |next| next.began);
        assert!(before <= span.began, "hooks ran one at a time: {spans:#?}");
        let body = span.ended - span.began;
        assert!(
            took >= body,
            "{} {} is charged {took:?}, less than its own {body:?}",
            span.module,
            span.phase
        );
        let gap = after - before;
        assert!(
            took <= gap,
            "{} {} is charged {took:?}, more than the {gap:?} between the hooks around it",
            span.module,
            span.phase
        );
    }
    // `slow` outlasted everything `aside` did, so the chain through it cost the most.
    assert_eq!(report.critical_path, ["base", "slow", "after-slow"]);

    host.shut_down().await.assert_ok();
}
