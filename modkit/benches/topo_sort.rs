//! Cost of `RegistryBuilder::build_topo_sorted`: checking, interning and ordering a registry.
//!
//! Run with: `cargo bench -p modkit --bench topo_sort`
//!
//! * `topo_sort/random_dag/{modules}` — module `i` depends on 5 distinct random modules with
//!   a smaller index (fewer for the first five), so 100,000 modules carry ~500,000 edges.
//!   Names are random kebab-case strings, so the name-order tie-break sorts for real.
//!   Target: 100,000 modules / 500,000 edges in at most 50 ms; the 10,000 and 50,000 cases
//!   show that the time grows linearly.
//! * `topo_sort/chain_1m_on_2mib_stack` — one chain of 1,000,000 modules, each depending on
//!   the one before, sorted on a thread with a 2 MiB stack: proves nothing in the sort
//!   recurses per module.
//!
//! Names and dependency lists are built (and leaked, as `&'static`) once, outside the
//! measurement, laid out as a binary's string literals are (each module's name followed by
//! its own copies of its dependencies' names, in one block); registering the modules into a
//! fresh `RegistryBuilder` is per-iteration setup, and dropping the finished registry
//! happens after the clock stops, so only `build_topo_sorted` is timed (for the chain, plus
//! spawning and joining its thread, well under a millisecond).

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use criterion::{
    BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use modkit::Module;
use modkit::registry::{ModuleRegistry, RegistryBuilder};

mod common;

use common::{Noop, SplitMix64};

/// A module graph, leaked once so that every iteration can register it again.
struct Graph {
    names: Vec<&'static str>,
    deps: Vec<&'static [&'static str]>,
}

impl Graph {
    /// Module `i` depends on `min(i, per_module)` distinct modules with a smaller index.
    fn random_dag(modules: usize, per_module: usize, seed: u64) -> Self {
        let mut rng = SplitMix64(seed);
        // Random names: registration order and name order disagree, as they do when
        // modules come from many crates.
        let names: Vec<String> = (0..modules)
            .map(|i| format!("m{:012x}-{i}", rng.next() >> 16))
            .collect();
        let deps: Vec<Vec<usize>> = (0..modules)
            .map(|i| {
                let mut picked = Vec::with_capacity(per_module);
                while picked.len() < per_module.min(i) {
                    let dep = rng.below(i);
                    if !picked.contains(&dep) {
                        picked.push(dep);
                    }
                }
                picked
            })
            .collect();
        Self::leak(&names, &deps)
    }

    /// `chain-0 <- chain-1 <- ... <- chain-{modules - 1}`.
    fn chain(modules: usize) -> Self {
        let names: Vec<String> = (0..modules).map(|i| format!("chain-{i}")).collect();
        let deps: Vec<Vec<usize>> = (0..modules)
            .map(|i| i.checked_sub(1).into_iter().collect())
            .collect();
        Self::leak(&names, &deps)
    }

    /// Lays the strings out as a linked binary's literals are: module by module, its name
    /// followed by copies of its dependencies' names (separate literals, so resolving one
    /// compares bytes), in one read-only block; the dependency lists as one array.
    fn leak(names: &[String], deps: &[Vec<usize>]) -> Self {
        let mut text = String::new();
        let mut name_spans = Vec::with_capacity(names.len());
        let mut dep_spans = Vec::new();
        for (name, module_deps) in names.iter().zip(deps) {
            name_spans.push((text.len(), name.len()));
            text.push_str(name);
            for &dep in module_deps {
                dep_spans.push((text.len(), names[dep].len()));
                text.push_str(&names[dep]);
            }
        }
        let text: &'static str = text.leak();
        let span = |(at, len): (usize, usize)| &text[at..at + len];
        let all_deps: &'static [&'static str] =
            dep_spans.into_iter().map(span).collect::<Vec<_>>().leak();
        let mut next = 0;
        let deps = deps
            .iter()
            .map(|module_deps| {
                let list = &all_deps[next..next + module_deps.len()];
                next += module_deps.len();
                list
            })
            .collect();
        Self {
            names: name_spans.into_iter().map(span).collect(),
            deps,
        }
    }

    fn edges(&self) -> usize {
        self.deps.iter().map(|deps| deps.len()).sum()
    }

    /// A fresh builder with every module registered (the untimed part of an iteration).
    fn builder(&self, module: &Arc<dyn Module>) -> RegistryBuilder {
        let mut builder = RegistryBuilder::default();
        for (&name, &deps) in self.names.iter().zip(&self.deps) {
            builder.register_core_with_meta(name, deps, Arc::clone(module));
        }
        builder
    }
}

fn sort(builder: RegistryBuilder) -> ModuleRegistry {
    builder
        .build_topo_sorted()
        .expect("the benchmark graph is a valid DAG")
}

fn random_dag(c: &mut Criterion) {
    let module: Arc<dyn Module> = Arc::new(Noop);
    let mut group = c.benchmark_group("topo_sort/random_dag");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for (modules, samples) in [(10_000, 30), (50_000, 15), (100_000, 10)] {
        let graph = Graph::random_dag(modules, 5, 0x5eed_0000 + modules as u64);
        // Sanity: a valid registry of the right size, in a dependency-respecting order.
        let registry = sort(graph.builder(&module));
        assert_eq!(registry.len(), modules);
        let position: HashMap<&str, usize> = registry
            .modules()
            .iter()
            .enumerate()
            .map(|(position, module)| (module.name(), position))
            .collect();
        for (at, module) in registry.modules().iter().enumerate() {
            assert!(module.deps().iter().all(|dep| position[dep] < at));
        }
        drop(registry);

        group.sample_size(samples);
        group.throughput(Throughput::Elements(modules as u64));
        let id = BenchmarkId::from_parameter(format!("{modules}_modules_{}_edges", graph.edges()));
        group.bench_function(id, |b| {
            b.iter_batched(
                || graph.builder(&module),
                |builder| sort(black_box(builder)),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn chain_on_small_stack(c: &mut Criterion) {
    const MODULES: usize = 1_000_000;
    const STACK: usize = 2 << 20;
    let module: Arc<dyn Module> = Arc::new(Noop);
    let graph = Graph::chain(MODULES);

    // One sort, on a 2 MiB stack: a chain of a million modules must not overflow it.
    let on_small_stack = |builder: RegistryBuilder| -> ModuleRegistry {
        thread::Builder::new()
            .name("small-stack-sort".to_owned())
            .stack_size(STACK)
            .spawn(move || sort(builder))
            .expect("spawn the sorting thread")
            .join()
            .expect("sorting a 1,000,000-module chain on a 2 MiB stack")
    };
    let registry = on_small_stack(graph.builder(&module));
    assert_eq!(registry.len(), MODULES);
    assert_eq!(registry.modules()[0].name(), "chain-0");
    assert_eq!(registry.modules()[MODULES - 1].name(), "chain-999999");
    drop(registry);

    let mut group = c.benchmark_group("topo_sort");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(MODULES as u64));
    group.bench_function("chain_1m_on_2mib_stack", |b| {
        b.iter_batched(
            || graph.builder(&module),
            on_small_stack,
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, random_dag, chain_on_small_stack);
criterion_main!(benches);
