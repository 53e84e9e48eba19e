//! Turning a [`RegistryBuilder`] into a checked, ordered [`ModuleRegistry`].

use super::builder::{CapabilityRegistration, CoreRegistration};
use super::capabilities::{CapabilitySet, GrpcHubCap};
use super::cycle::find_cycles;
use super::entry::ModuleEntry;
use super::name_index::NameIndex;
use super::problem::is_kebab_case;
use super::suggest::closest;
use super::topo::{self, DependencyGraph, to_u32};
use super::{ConfigProblem, ModuleRegistry, RegistryBuilder, RegistryError};

pub(crate) fn build(builder: RegistryBuilder) -> Result<ModuleRegistry, RegistryError> {
    let RegistryBuilder { cores, capabilities } = builder;
    let mut problems = Vec::new();

    let (cores, index) = intern(cores, &mut problems);
    let graph = resolve_dependencies(&cores, &index, &mut problems);
    let caps = install_capabilities(&cores, &index, capabilities, &mut problems);
    check_singletons(&cores, &caps, &mut problems);

    let rank = name_ranks(&cores);
    let dependents = graph.dependents();
    let order = match topo::sort(&graph, &dependents, &rank) {
        Ok(order) => Some(order),
        Err(stuck) => {
            for cycle in find_cycles(&graph, &stuck, &rank) {
                let path = cycle.iter().map(|&node| cores[node as usize].name).collect();
                problems.push(ConfigProblem::Cycle { path });
            }
            None
        }
    };

    match order {
        Some(order) if problems.is_empty() => Ok(assemble(cores, caps, &graph, &dependents, &order)),
        _ => Err(RegistryError::InvalidConfiguration { problems }),
    }
}

/// Keeps the first registration of each name; later ones are reported.
fn intern(cores: Vec<CoreRegistration>, problems: &mut Vec<ConfigProblem>) -> (Vec<CoreRegistration>, NameIndex) {
    let mut index = NameIndex::with_capacity(cores.len());
    let mut kept = Vec::with_capacity(cores.len());
    for core in cores {
        if !is_kebab_case(core.name) {
            problems.push(ConfigProblem::InvalidName { name: core.name });
        }
        if index.insert(core.name, to_u32(kept.len())) {
            kept.push(core);
        } else if !problems.contains(&ConfigProblem::DuplicateName { name: core.name }) {
            problems.push(ConfigProblem::DuplicateName { name: core.name });
        }
    }
    (kept, index)
}

fn resolve_dependencies(
    cores: &[CoreRegistration],
    index: &NameIndex,
    problems: &mut Vec<ConfigProblem>,
) -> DependencyGraph {
    let edges = cores.iter().map(|core| core.deps.len()).sum();
    let mut graph = DependencyGraph::with_capacity(cores.len(), edges);
    let mut deps = Vec::new();
    for core in cores {
        deps.clear();
        for &dependency in core.deps {
            match index.get(dependency) {
                // A name listed twice is one dependency.
                Some(dep) if !deps.contains(&dep) => deps.push(dep),
                Some(_) => {}
                None => problems.push(ConfigProblem::UnknownDependency {
                    module: core.name,
                    dependency,
                    suggestion: closest(dependency, cores.iter().map(|c| c.name)),
                }),
            }
        }
        graph.push_node(deps.iter().copied());
    }
    graph
}

fn install_capabilities(
    cores: &[CoreRegistration],
    index: &NameIndex,
    capabilities: Vec<CapabilityRegistration>,
    problems: &mut Vec<ConfigProblem>,
) -> Vec<CapabilitySet> {
    let mut sets = vec![CapabilitySet::default(); cores.len()];
    for registration in capabilities {
        let CapabilityRegistration {
            module,
            capability,
            install,
        } = registration;
        match index.get(module) {
            Some(node) => {
                if !install(&mut sets[node as usize]) {
                    problems.push(ConfigProblem::DuplicateCapability { module, capability });
                }
            }
            None => problems.push(ConfigProblem::CapabilityWithoutCore { module, capability }),
        }
    }
    sets
}

fn check_singletons(cores: &[CoreRegistration], caps: &[CapabilitySet], problems: &mut Vec<ConfigProblem>) {
    let holders = |has: fn(&CapabilitySet) -> bool| -> Vec<&'static str> {
        let mut names: Vec<_> = cores
            .iter()
            .zip(caps)
            .filter(|(_, set)| has(set))
            .map(|(core, _)| core.name)
            .collect();
        names.sort_unstable();
        names
    };
    #[cfg(feature = "rest")]
    {
        let hosts = holders(|set| set.has::<super::capabilities::ApiGatewayCap>());
        if hosts.len() > 1 {
            problems.push(ConfigProblem::MultipleRestHosts { hosts });
        }
    }
    let hubs = holders(|set| set.has::<GrpcHubCap>());
    if hubs.len() > 1 {
        problems.push(ConfigProblem::MultipleGrpcHubs { hubs });
    }
}

/// Each node's position in name order: the sort's tie-breaker.
fn name_ranks(cores: &[CoreRegistration]) -> Vec<u64> {
    let mut by_name: Vec<u32> = (0..to_u32(cores.len())).collect();
    by_name.sort_unstable_by_key(|&node| cores[node as usize].name);
    let mut rank = vec![0u64; cores.len()];
    for (position, node) in by_name.into_iter().enumerate() {
        rank[node as usize] = position as u64;
    }
    rank
}

fn assemble(
    cores: Vec<CoreRegistration>,
    caps: Vec<CapabilitySet>,
    graph: &DependencyGraph,
    dependents: &DependencyGraph,
    order: &[u32],
) -> ModuleRegistry {
    let mut position = vec![0u32; cores.len()];
    for (pos, &node) in order.iter().enumerate() {
        position[node as usize] = to_u32(pos);
    }
    let system_first = system_priority(graph, dependents, &caps, &position);

    let mut slots: Vec<Option<(CoreRegistration, CapabilitySet)>> = cores.into_iter().zip(caps).map(Some).collect();
    let modules: Vec<ModuleEntry> = order
        .iter()
        .map(|&node| {
            let (core, caps) = slots[node as usize].take().expect("each node is placed once");
            ModuleEntry {
                name: core.name,
                deps: core.deps,
                core: core.module,
                caps,
                dep_positions: graph.deps(node).iter().map(|&dep| position[dep as usize]).collect(),
            }
        })
        .collect();
    let by_system_priority = system_first.iter().map(|&node| position[node as usize]).collect();
    ModuleRegistry::new(modules, by_system_priority)
}

/// Topological order again, but system modules — and whatever they depend on — as early as
/// their dependencies allow; everything else keeps its place in the name-ordered sort.
fn system_priority(
    graph: &DependencyGraph,
    dependents: &DependencyGraph,
    caps: &[CapabilitySet],
    position: &[u32],
) -> Vec<u32> {
    let nodes = graph.len();
    let mut needed_by_system = vec![false; nodes];
    let mut stack: Vec<u32> = (0..to_u32(nodes))
        .filter(|&node| caps[node as usize].has::<super::capabilities::SystemCap>())
        .collect();
    for &node in &stack {
        needed_by_system[node as usize] = true;
    }
    while let Some(node) = stack.pop() {
        for &dep in graph.deps(node) {
            if !needed_by_system[dep as usize] {
                needed_by_system[dep as usize] = true;
                stack.push(dep);
            }
        }
    }
    let key: Vec<u64> = (0..nodes)
        .map(|node| (u64::from(!needed_by_system[node]) << 32) | u64::from(position[node]))
        .collect();
    topo::sort(graph, dependents, &key).expect("the graph was already sorted once, so it has no cycle")
}
