//! Sorting (and checking) a registry uses no recursion: a single dependency chain of
//! 1,000,000 modules sorts on a thread with a 2 MiB stack, and so does reporting the cycle
//! when the chain is closed into a ring.

use std::sync::Arc;

use modkit::registry::{ConfigProblem, RegistryBuilder};
use modkit::{Module, ModuleCtx};

const LENGTH: usize = 1_000_000;
const SMALL_STACK: usize = 2 * 1024 * 1024;

struct Noop;

#[modkit::async_trait]
impl Module for Noop {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

/// `m0000000`, `m0000001`, ...: one leaked allocation for all the names.
fn names() -> &'static [&'static str] {
    let text: &'static str = String::leak((0..LENGTH).map(|i| format!("m{i:07}")).collect());
    let width = text.len() / LENGTH;
    let names: Vec<&'static str> = (0..LENGTH)
        .map(|i| &text[i * width..(i + 1) * width])
        .collect();
    Vec::leak(names)
}

/// Module `i` depends on module `i - 1` (and module 0 on the last one, if `ring`),
/// registered last-first so that registration order is no help.
fn chain(names: &'static [&'static str], ring: bool) -> RegistryBuilder {
    let module: Arc<dyn Module> = Arc::new(Noop);
    let mut builder = RegistryBuilder::default();
    for i in (0..LENGTH).rev() {
        let deps: &'static [&'static str] = match i {
            0 if ring => &names[LENGTH - 1..],
            0 => &[],
            _ => &names[i - 1..i],
        };
        builder.register_core_with_meta(names[i], deps, Arc::clone(&module));
    }
    builder
}

fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .name("small-stack".to_owned())
        .stack_size(SMALL_STACK)
        .spawn(work)
        .expect("spawn the small-stack thread")
        .join()
        .expect("the small-stack thread overflowed or panicked")
}

#[test]
fn a_million_module_chain_sorts_on_a_small_stack() {
    on_small_stack(|| {
        let names = names();
        let registry = chain(names, false)
            .build_topo_sorted()
            .expect("a chain is valid");
        assert_eq!(registry.len(), LENGTH);
        assert!(
            registry
                .modules()
                .iter()
                .zip(names)
                .all(|(module, &name)| module.name() == name),
            "the chain is not in dependency order"
        );
        let by_priority = registry.modules_by_system_priority();
        assert_eq!(by_priority.first().map(|m| m.name()), Some(names[0]));
        assert_eq!(
            by_priority.last().map(|m| m.name()),
            Some(names[LENGTH - 1])
        );
    });
}

#[test]
fn a_million_module_ring_is_reported_as_one_cycle_on_a_small_stack() {
    on_small_stack(|| {
        let names = names();
        let error = chain(names, true)
            .build_topo_sorted()
            .expect_err("a ring is a cycle");
        let [ConfigProblem::Cycle { path }] = error.problems() else {
            panic!(
                "expected one cycle, got {} problems",
                error.problems().len()
            );
        };
        assert_eq!(path.len(), LENGTH + 1);
        // The ring is reported from its first name: m0 depends on the last module, which
        // depends on the one before it, and so on back to m0.
        assert_eq!(path[0], names[0]);
        assert_eq!(path[1], names[LENGTH - 1]);
        assert_eq!(path[LENGTH], names[0]);
    });
}
