use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use super::*;
use crate::context::ModuleCtx;
use crate::contracts::{Module, SystemCapability};

struct Noop;

#[async_trait::async_trait]
impl Module for Noop {
    async fn init(&self, _: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[async_trait::async_trait]
impl SystemCapability for Noop {}

/// A fixed-seed xorshift.
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}

fn leak<T>(items: Vec<T>) -> &'static [T] {
    items.leak()
}

#[test]
fn ranking_by_prefix_is_name_order() {
    let names: Vec<&'static str> = vec![
        "b",
        "a",
        "",
        "a\0",
        "a\0\0",
        "ab",
        "abcdefghijklmnop",
        "abcdefghijklmnopq",
        "abcdefghijklmnopa",
        "abcdefghijklmnoo",
        "abcdefghijklmnopq-longer",
        "abcdefghijklmno",
        "zz",
        "module-0000000001",
        "module-0000000010",
        "module-00000000010",
        "module-000000000",
    ];
    let ranking = name_ranking(&names);
    let mut expected: Vec<u32> = (0..to_u32(names.len())).collect();
    expected.sort_by_key(|&node| names[node as usize]);
    assert_eq!(ranking.by_rank, expected);
}

/// Kahn's algorithm with a heap of names: the order the registry promises.
fn reference_order(names: &[&'static str], deps: &[Vec<usize>]) -> Vec<&'static str> {
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents = vec![Vec::new(); names.len()];
    for (node, node_deps) in deps.iter().enumerate() {
        for &dep in node_deps {
            dependents[dep].push(node);
        }
    }
    let mut ready: BinaryHeap<Reverse<(&str, usize)>> = (0..names.len())
        .filter(|&n| waiting[n] == 0)
        .map(|n| Reverse((names[n], n)))
        .collect();
    let mut order = Vec::new();
    while let Some(Reverse((name, node))) = ready.pop() {
        order.push(name);
        for &next in &dependents[node] {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.push(Reverse((names[next], next)));
            }
        }
    }
    order
}

#[test]
fn random_registries_sort_like_the_reference_and_put_system_modules_first() {
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    for modules in [1usize, 2, 7, 64, 65, 300, 2000] {
        let names: Vec<&'static str> = (0..modules)
            .map(|i| &*format!("m{:x}-{i}", rng.below(1 << 20)).leak())
            .collect();
        let deps: Vec<Vec<usize>> = (0..modules)
            .map(|i| {
                let mut picked = Vec::new();
                for _ in 0..rng.below(4).min(i) {
                    let dep = rng.below(i);
                    if !picked.contains(&dep) {
                        picked.push(dep);
                    }
                }
                picked
            })
            .collect();
        let system: Vec<bool> = (0..modules).map(|_| rng.below(10) == 0).collect();
        // Registered in a shuffled order, with one dependency listed twice.
        let mut registration: Vec<usize> = (0..modules).collect();
        for i in (1..modules).rev() {
            registration.swap(i, rng.below(i + 1));
        }
        let mut builder = RegistryBuilder::default();
        for &node in &registration {
            let mut listed: Vec<&'static str> = deps[node].iter().map(|&d| names[d]).collect();
            if let Some(&first) = listed.first() {
                listed.push(first);
            }
            builder.register_core_with_meta(names[node], leak(listed), Arc::new(Noop));
            if system[node] {
                builder.register_system_with_meta(names[node], Arc::new(Noop));
            }
        }
        let registry = builder.build_topo_sorted().expect("a valid registry");
        let order: Vec<&str> = registry.modules().iter().map(ModuleEntry::name).collect();
        assert_eq!(order, reference_order(&names, &deps), "{modules} modules");
        for (position, module) in registry.modules().iter().enumerate() {
            assert_eq!(
                registry.get_module(module.name()).map(ModuleEntry::name),
                Some(module.name())
            );
            for &dep in module.dep_positions.iter() {
                assert!((dep as usize) < position);
                assert!(
                    module
                        .deps()
                        .contains(&registry.modules()[dep as usize].name())
                );
            }
        }

        // System priority: the sort keyed by (system / needed by one / other, position).
        let position: Vec<usize> = {
            let mut position = vec![0; modules];
            for (pos, name) in order.iter().enumerate() {
                position[names.iter().position(|n| n == name).unwrap()] = pos;
            }
            position
        };
        let mut needed = system.clone();
        for node in (0..modules).rev() {
            if needed[node] {
                for &dep in &deps[node] {
                    needed[dep] = true;
                }
            }
        }
        // Relies on deps pointing to smaller indices, as generated.
        let keyed: Vec<&'static str> = {
            let key = |n: usize| (u8::from(!system[n]) + u8::from(!needed[n]), position[n]);
            let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
            let mut ready: BinaryHeap<Reverse<((u8, usize), usize)>> = (0..modules)
                .filter(|&n| waiting[n] == 0)
                .map(|n| Reverse((key(n), n)))
                .collect();
            let mut out = Vec::new();
            while let Some(Reverse((_, node))) = ready.pop() {
                out.push(names[node]);
                for next in 0..modules {
                    if deps[next].contains(&node) {
                        waiting[next] -= 1;
                        if waiting[next] == 0 {
                            ready.push(Reverse((key(next), next)));
                        }
                    }
                }
            }
            out
        };
        let by_priority: Vec<&str> = registry
            .modules_by_system_priority()
            .iter()
            .map(|m| m.name())
            .collect();
        assert_eq!(by_priority, keyed, "{modules} modules");
    }
}

#[test]
fn a_duplicate_name_keeps_the_first_registration_for_dependencies() {
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("a", &["b"], Arc::new(Noop));
    builder.register_core_with_meta("b", &["a"], Arc::new(Noop));
    builder.register_core_with_meta("a", &[], Arc::new(Noop));
    builder.register_core_with_meta("c", &["a", "nope"], Arc::new(Noop));
    let error = builder
        .build_topo_sorted()
        .expect_err("a duplicate and a cycle");
    let problems = error.problems();
    assert!(
        problems.contains(&ConfigProblem::DuplicateName {
            name: "a",
            registered_by: vec![None, None]
        }),
        "{problems:?}"
    );
    assert!(
        problems.contains(&ConfigProblem::Cycle {
            path: vec!["a", "b", "a"]
        }),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| matches!(
            p,
            ConfigProblem::UnknownDependency {
                module: "c",
                dependency: "nope",
                ..
            }
        )),
        "{problems:?}"
    );
}
