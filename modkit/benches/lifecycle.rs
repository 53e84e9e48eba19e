//! Cost of the runtime itself: driving no-op modules through their whole lifecycle.
//!
//! Run with: `cargo bench -p modkit --bench lifecycle`
//!
//! 10,000 modules, every second one `stateful` (no-op `start`/`stop`), each depending on up
//! to two earlier ones. One iteration is `HostRuntime::new` plus `run_module_phases` on a
//! current-thread tokio runtime, with the host's token cancelled as soon as the host is
//! ready: every start-up phase (pre_init, db, init, post_init, rest, grpc, start, oop) and
//! the stop phase. Building the registry is untimed setup.
//!
//! * `lifecycle/10000_modules/sequential` — the default `concurrency` of 1.
//!   Target: init + start + stop in at most 4 ms.
//! * `lifecycle/10000_modules/sequential_stall_warning_off` — the same with
//!   `stall_warning: None`, to compare what watching hooks for stalls costs.
//! * `lifecycle/10000_modules/concurrency_4` — the scheduler's concurrent path.
//! * `lifecycle/10000_modules/init_phase` and `.../init_start_stop_phases` — the init phase
//!   alone, and the init, start and stop phases together, as the runtime report measures
//!   them (the same runs as `sequential`, timing only those phases: no `HostRuntime::new`,
//!   run preparation, other phases or teardown).
//!
//! * `reference_scenario/{10000,50000}_modules/whole` — the scenario cf-modkit measures
//!   itself with: no dependencies, every second module stateful (no-op `start`/`stop`), on
//!   a default multi-threaded tokio runtime. One iteration is `HostRuntime::new` plus the
//!   whole `run_module_phases` (spawned as a task), the host's token cancelled from inside
//!   the last module's `start`. Target at 10,000 modules: at most 3 ms. The token fires
//!   while start-up is still running, so the host rolls start-up back (stopping every
//!   started module, as a shutdown does) and returns `RegistryError::Cancelled`.
//! * `reference_scenario/{..}_modules/after_last_start` — the same runs, timing only what
//!   follows the last `start`'s return: the shutdown of the stateful half (target at
//!   10,000 modules: under 1 ms), plus the little start-up bookkeeping after the start phase.
//!
//! * `reference_scenario/{..}_modules/floor` — not the runtime: only what the module API
//!   obliges any runtime to do in that scenario (each hook's boxed future, one token per
//!   stateful module, one task), to show how much of `whole` is the runtime's own work.
//!
//! No tracing subscriber is installed, so logging costs nothing (the start-up table, in
//! particular, is only rendered when INFO is enabled).

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use modkit::config::ModulesConfig;
use modkit::registry::{ModuleRegistry, RegistryBuilder, RegistryError};
use modkit::runtime::{Phase, RuntimeReport, RuntimeReportHandle};
use modkit::{
    CancellationToken, ClientHub, DbOptions, HostRuntime, Module, ModuleCtx, RunnableCapability,
    RuntimeOptions,
};
use tokio::runtime::Runtime;

const MODULES: usize = 10_000;

mod common;

use common::{Noop, SplitMix64};

/// The modules' names and dependencies, leaked once so that every iteration can register
/// them again.
struct Host {
    names: Vec<&'static str>,
    deps: Vec<&'static [&'static str]>,
    module: Arc<Noop>,
}

impl Host {
    /// Module `i` depends on up to two distinct modules with a smaller index.
    fn sparse(modules: usize, seed: u64) -> Self {
        let mut rng = SplitMix64(seed);
        let names: Vec<&'static str> = (0..modules)
            .map(|i| &*format!("module-{i}").leak())
            .collect();
        let deps = (0..modules)
            .map(|i| {
                let mut picked: Vec<&'static str> = Vec::new();
                for _ in 0..rng.below(3).min(i) {
                    let dep = names[rng.below(i)];
                    if !picked.contains(&dep) {
                        picked.push(dep);
                    }
                }
                &*picked.leak()
            })
            .collect();
        Self {
            names,
            deps,
            module: Arc::new(Noop),
        }
    }

    /// A fresh registry: every module, every second one stateful (the untimed setup).
    fn registry(&self) -> ModuleRegistry {
        let mut builder = RegistryBuilder::default();
        for (i, (&name, &deps)) in self.names.iter().zip(&self.deps).enumerate() {
            builder.register_core_with_meta(
                name,
                deps,
                Arc::clone(&self.module) as Arc<dyn Module>,
            );
            if i % 2 == 1 {
                builder.register_stateful_with_meta(
                    name,
                    Arc::clone(&self.module) as Arc<dyn RunnableCapability>,
                );
            }
        }
        builder
            .build_topo_sorted()
            .expect("the benchmark graph is valid")
    }

    /// Runs one whole lifecycle of a fresh registry; returns its wall time (from
    /// `HostRuntime::new` to the host's task finishing) and the runtime's report.
    fn run_once(&self, tokio: &Runtime, options: &RuntimeOptions) -> (Duration, RuntimeReport) {
        let registry = self.registry();
        let config = Arc::new(ModulesConfig::empty());
        let cancel = CancellationToken::new();
        tokio.block_on(async {
            let began = Instant::now();
            let runtime = HostRuntime::new(
                registry,
                config,
                DbOptions::None,
                Arc::new(ClientHub::new()),
                cancel.clone(),
                uuid::Uuid::nil(),
                None,
            )
            .with_options(options.clone());
            let report = runtime.report();
            let host = tokio::spawn(runtime.run_module_phases());
            assert!(
                report.wait_ready().await,
                "start-up failed: {:?}",
                report.snapshot().phases
            );
            cancel.cancel();
            host.await
                .expect("the host task panicked")
                .expect("the host failed");
            let elapsed = began.elapsed();
            (elapsed, report.snapshot())
        })
    }
}

fn phase_time(report: &RuntimeReport, phase: Phase) -> Duration {
    report
        .phases
        .iter()
        .filter(|p| p.phase == phase)
        .map(|p| p.duration)
        .sum()
}

fn lifecycle(c: &mut Criterion) {
    let host = Host::sparse(MODULES, 0x11fe_c7c1_e5ee_d000);
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread tokio runtime");
    let sequential = RuntimeOptions::default();
    let concurrent = RuntimeOptions {
        concurrency: 4,
        ..RuntimeOptions::default()
    };
    // Stall warnings off: what the watch costs a host whose hooks all finish at once.
    let no_stall_warning = RuntimeOptions {
        stall_warning: None,
        ..RuntimeOptions::default()
    };

    // Sanity: every module ran, and every stateful one started and stopped.
    let (_, report) = host.run_once(&tokio, &sequential);
    assert_eq!(report.modules.len(), MODULES);
    let hooks: usize = report.modules.iter().map(|m| m.hooks.len()).sum();
    assert_eq!(
        hooks,
        MODULES + MODULES / 2 * 2,
        "init for all, start and stop for the stateful half"
    );

    let mut group = c.benchmark_group(format!("lifecycle/{MODULES}_modules"));
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for (name, options) in [
        ("sequential", &sequential),
        ("sequential_stall_warning_off", &no_stall_warning),
        ("concurrency_4", &concurrent),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| (0..iters).map(|_| host.run_once(&tokio, options).0).sum());
        });
    }
    // Phase times as the runtime report measures them (the same runs as `sequential`).
    let phases: [(&str, &[Phase]); 2] = [
        ("init_phase", &[Phase::Init]),
        (
            "init_start_stop_phases",
            &[Phase::Init, Phase::Start, Phase::Stop],
        ),
    ];
    for (name, phases) in phases {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        let (_, report) = host.run_once(&tokio, &sequential);
                        phases
                            .iter()
                            .map(|&phase| phase_time(&report, phase))
                            .sum::<Duration>()
                    })
                    .sum()
            });
        });
    }
    group.finish();
}

/// The last module of the reference scenario: its `start` cancels the host's token and
/// notes when it returned.
struct CancelOnStart {
    host: CancellationToken,
    returned: OnceLock<Instant>,
}

#[modkit::async_trait]
impl Module for CancelOnStart {
    async fn init(&self, _: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::async_trait]
impl RunnableCapability for CancelOnStart {
    async fn start(&self, _: CancellationToken) -> anyhow::Result<()> {
        self.host.cancel();
        let _ = self.returned.set(Instant::now());
        Ok(())
    }

    async fn stop(&self, _: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

/// cf-modkit's own lifecycle scenario: `modules` modules without dependencies, every
/// second one stateful, the last of them cancelling the host from its `start`.
struct Reference {
    /// Zero-padded, so that name order (the start order of independent modules) is
    /// registration order and the canceller, registered last, starts last.
    names: Vec<&'static str>,
    module: Arc<Noop>,
}

/// One run's times: the whole call, and the part after the last `start` returned.
struct ReferenceRun {
    whole: Duration,
    after_last_start: Duration,
    /// Read after the clock stopped, when wanted.
    report: RuntimeReportHandle,
}

impl Reference {
    fn new(modules: usize) -> Self {
        assert!(modules % 2 == 0, "the last module must be a stateful one");
        Self {
            names: (0..modules)
                .map(|i| &*format!("module-{i:06}").leak())
                .collect(),
            module: Arc::new(Noop),
        }
    }

    fn registry(&self, last: &Arc<CancelOnStart>) -> ModuleRegistry {
        let mut builder = RegistryBuilder::default();
        let (&last_name, names) = self.names.split_last().expect("at least one module");
        for (i, &name) in names.iter().enumerate() {
            builder.register_core_with_meta(name, &[], Arc::clone(&self.module) as Arc<dyn Module>);
            if i % 2 == 1 {
                builder.register_stateful_with_meta(
                    name,
                    Arc::clone(&self.module) as Arc<dyn RunnableCapability>,
                );
            }
        }
        builder.register_core_with_meta(last_name, &[], Arc::clone(last) as Arc<dyn Module>);
        builder.register_stateful_with_meta(
            last_name,
            Arc::clone(last) as Arc<dyn RunnableCapability>,
        );
        builder
            .build_topo_sorted()
            .expect("the benchmark graph is valid")
    }

    fn run_once(&self, tokio: &Runtime) -> ReferenceRun {
        let cancel = CancellationToken::new();
        let last = Arc::new(CancelOnStart {
            host: cancel.clone(),
            returned: OnceLock::new(),
        });
        let registry = self.registry(&last);
        let config = Arc::new(ModulesConfig::empty());
        let hub = Arc::new(ClientHub::new());
        let (whole, finished, report) = tokio.block_on(async {
            let began = Instant::now();
            let runtime = HostRuntime::new(
                registry,
                config,
                DbOptions::None,
                hub,
                cancel,
                uuid::Uuid::nil(),
                None,
            );
            let report = runtime.report();
            // The token fires during start-up (the start phase is still running), so the
            // host rolls start-up back: it stops every module that started, as a shutdown
            // would, and reports the cancellation.
            match tokio::spawn(runtime.run_module_phases())
                .await
                .expect("the host task panicked")
            {
                Ok(()) | Err(RegistryError::Cancelled { .. }) => {}
                Err(error) => panic!("the host failed: {error}"),
            }
            let finished = Instant::now();
            (finished - began, finished, report)
        });
        let returned = *last.returned.get().expect("the last module started");
        ReferenceRun {
            whole,
            after_last_start: finished.saturating_duration_since(returned),
            report,
        }
    }

    /// Prints where the time of a run goes: the median (and the fastest) over `runs` runs
    /// of each phase as
    /// the runtime report measures it, of the rest of the call (`HostRuntime::new`,
    /// preparing the run, spawning and joining its task, dropping it), and of the part
    /// after the last `start`.
    fn print_breakdown(&self, tokio: &Runtime, runs: usize) {
        let mut parts: Vec<(String, Vec<Duration>)> = Vec::new();
        for _ in 0..runs {
            let run = self.run_once(tokio);
            let report = run.report.snapshot();
            let mut add = |name: String, took: Duration| match parts
                .iter_mut()
                .find(|(known, _)| *known == name)
            {
                Some((_, samples)) => samples.push(took),
                None => parts.push((name, vec![took])),
            };
            add("whole".to_owned(), run.whole);
            for phase in &report.phases {
                add(format!("phase {}", phase.phase.as_str()), phase.duration);
            }
            let in_phases: Duration = report.phases.iter().map(|p| p.duration).sum();
            add(
                "outside the phases".to_owned(),
                run.whole.saturating_sub(in_phases),
            );
            add("after the last start".to_owned(), run.after_last_start);
        }
        println!(
            "reference_scenario/{}_modules over {runs} runs: median (fastest)",
            self.names.len()
        );
        for (name, mut samples) in parts {
            samples.sort_unstable();
            println!(
                "  {name:<24} {:>10.3?} ({:.3?})",
                samples[samples.len() / 2],
                samples[0]
            );
        }
    }
}

/// What any runtime must do in the reference scenario, whatever its bookkeeping: one
/// task; each module's `init` called through its trait object (a boxed future, as
/// `async_trait` makes it); for each stateful module a token of its own made and handed to
/// `start`, then, in reverse order, cancelled and handed to `stop` with a clone. One
/// context serves every `init` (a real host needs one per module). No report, no timing,
/// no deadlines, no panic catching: a floor under the `whole` case, not a runtime.
fn contract_floor(tokio: &Runtime, modules: usize) -> Duration {
    let contexts = modkit::ModuleContextBuilder::new(
        uuid::Uuid::nil(),
        Arc::new(ModulesConfig::empty()),
        Arc::new(ClientHub::new()),
        CancellationToken::new(),
    );
    let ctx = contexts.for_module("floor");
    let noop = Arc::new(Noop);
    let cores: Vec<Arc<dyn Module>> = (0..modules)
        .map(|_| Arc::clone(&noop) as Arc<dyn Module>)
        .collect();
    let stateful: Vec<Arc<dyn RunnableCapability>> = (0..modules / 2)
        .map(|_| Arc::clone(&noop) as Arc<dyn RunnableCapability>)
        .collect();
    tokio.block_on(async move {
        let began = Instant::now();
        tokio::spawn(async move {
            for module in &cores {
                module.init(&ctx).await.expect("no-op init");
            }
            let mut tokens = Vec::with_capacity(stateful.len());
            for module in &stateful {
                let token = CancellationToken::new();
                module.start(token.clone()).await.expect("no-op start");
                tokens.push(token);
            }
            for (module, token) in stateful.iter().zip(tokens).rev() {
                token.cancel();
                module.stop(token.clone()).await.expect("no-op stop");
            }
        })
        .await
        .expect("the floor task panicked");
        began.elapsed()
    })
}

fn reference_scenario(c: &mut Criterion) {
    let tokio = Runtime::new().expect("a multi-threaded tokio runtime");
    let mut group = c.benchmark_group("reference_scenario");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for modules in [10_000, 50_000] {
        let scenario = Reference::new(modules);
        // Sanity: every stateful module started and stopped, the canceller last.
        let report = scenario.run_once(&tokio).report.snapshot();
        let hooks = |phase: Phase| -> usize {
            report
                .modules
                .iter()
                .map(|m| m.hooks.iter().filter(|h| h.phase == phase).count())
                .sum()
        };
        assert_eq!(report.modules.len(), modules);
        assert_eq!(
            (hooks(Phase::Start), hooks(Phase::Stop)),
            (modules / 2, modules / 2)
        );
        let last_start = report.modules.last().and_then(|m| m.hooks.get(1));
        assert_eq!(last_start.map(|h| h.phase), Some(Phase::Start));
        scenario.print_breakdown(&tokio, 31);

        group.bench_function(format!("{modules}_modules/whole"), |b| {
            b.iter_custom(|iters| (0..iters).map(|_| scenario.run_once(&tokio).whole).sum());
        });
        group.bench_function(format!("{modules}_modules/floor"), |b| {
            b.iter_custom(|iters| (0..iters).map(|_| contract_floor(&tokio, modules)).sum());
        });
        group.bench_function(format!("{modules}_modules/after_last_start"), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| scenario.run_once(&tokio).after_last_start)
                    .sum()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, lifecycle, reference_scenario);
criterion_main!(benches);
