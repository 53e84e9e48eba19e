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
//! * `lifecycle/10000_modules/concurrency_4` — the scheduler's concurrent path.
//! * `lifecycle/10000_modules/init_phase` and `.../init_start_stop_phases` — the init phase
//!   alone, and the init, start and stop phases together, as the runtime report measures
//!   them (the same runs as `sequential`, timing only those phases: no `HostRuntime::new`,
//!   run preparation, other phases or teardown).
//!
//! No tracing subscriber is installed, so logging costs nothing (the start-up table, in
//! particular, is only rendered when INFO is enabled).

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use modkit::config::ModulesConfig;
use modkit::registry::{ModuleRegistry, RegistryBuilder};
use modkit::runtime::{Phase, RuntimeReport};
use modkit::{
    CancellationToken, ClientHub, DbOptions, HostRuntime, Module, RunnableCapability,
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
    for (name, options) in [("sequential", &sequential), ("concurrency_4", &concurrent)] {
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

criterion_group!(benches, lifecycle);
criterion_main!(benches);
