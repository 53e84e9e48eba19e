//! Turning a [`RegistryBuilder`] into a checked, ordered [`ModuleRegistry`].

use super::builder::{CapabilityRegistration, CoreRegistration};
use super::capabilities::{CapabilitySet, GrpcHubCap};
use super::cycle::find_cycles;
use super::entry::ModuleEntry;
use super::name_index::{self, NameIndex};
use super::topo::{self, DependencyGraph, Ranking, to_u32};
use super::{ConfigProblem, ModuleRegistry, RegistryBuilder, RegistryError};
use modkit_rules::{closest, is_kebab_case};
use std::collections::hash_map::Entry;

impl RegistryBuilder {
    /// Checks every registration and orders the modules so that each comes after all its
    /// dependencies (ties broken by name, so the order is the same on every run).
    ///
    /// Every problem found is reported together in
    /// [`RegistryError::InvalidConfiguration`].
    pub fn build_topo_sorted(self) -> Result<ModuleRegistry, RegistryError> {
        build(self)
    }
}

fn build(builder: RegistryBuilder) -> Result<ModuleRegistry, RegistryError> {
    let RegistryBuilder {
        cores,
        capabilities,
    } = builder;
    let mut problems = Vec::new();

    let (cores, names, index) = intern(cores, &mut problems);
    // Ranked before the dependencies are resolved, so that the graph lists them by rank
    // and the sort runs on ranks (see `topo::sort`).
    let ranking = name_ranking(&names);
    let graph = resolve_dependencies(&cores, &index, &ranking.rank, &mut problems);
    let caps = install_capabilities(&names, &index, capabilities, &mut problems);
    drop(names);
    check_singletons(&cores, &caps, &mut problems);

    let dependents = graph.dependents_by_rank(&ranking.rank);
    let order = match topo::sort(&graph, &dependents, &ranking) {
        Ok(order) => Some(order),
        Err(stuck) => {
            let by_node = graph.map_deps(|dep| ranking.by_rank[dep as usize]);
            for cycle in find_cycles(&by_node, &stuck, &ranking.rank) {
                let path = cycle
                    .iter()
                    .map(|&node| cores[node as usize].name)
                    .collect();
                problems.push(ConfigProblem::Cycle { path });
            }
            None
        }
    };

    match order {
        Some(order) if problems.is_empty() => {
            Ok(assemble(cores, caps, index, &graph, &ranking, &order))
        }
        _ => Err(RegistryError::InvalidConfiguration { problems }),
    }
}

/// Keeps the first registration of each name; later ones are reported.
///
/// Returns the kept registrations, their names (a compact copy for the lookups that
/// follow) and the index from each name to its position among them.
fn intern(
    mut cores: Vec<CoreRegistration>,
    problems: &mut Vec<ConfigProblem>,
) -> (Vec<CoreRegistration>, Vec<&'static str>, NameIndex) {
    let mut names: Vec<&'static str> = cores.iter().map(|core| core.name).collect();
    let mut index = name_index::with_capacity(names.len());
    let mut first = Vec::with_capacity(names.len());
    let mut invalid = Vec::new();
    // Values are registration positions until the duplicates are dropped.
    for (position, &name) in names.iter().enumerate() {
        if !is_kebab_case(name) {
            invalid.push(position);
        }
        first.push(match index.entry(name) {
            Entry::Vacant(slot) => {
                slot.insert(to_u32(position));
                true
            }
            Entry::Occupied(_) => false,
        });
    }
    if !invalid.is_empty() || index.len() < names.len() {
        let mut invalid = invalid.into_iter().peekable();
        for (position, (&name, &first)) in names.iter().zip(&first).enumerate() {
            if invalid.next_if_eq(&position).is_some() {
                problems.push(ConfigProblem::InvalidName { name });
            }
            let reported = |problem: &ConfigProblem| matches!(problem, ConfigProblem::DuplicateName { name: seen, .. } if *seen == name);
            if !first && !problems.iter().any(reported) {
                let registered_by = cores
                    .iter()
                    .filter(|core| core.name == name)
                    .map(|core| core.type_name)
                    .collect();
                problems.push(ConfigProblem::DuplicateName {
                    name,
                    registered_by,
                });
            }
        }
    }
    if index.len() < cores.len() {
        // Registration position to position among the kept.
        let mut kept_before = 0;
        let kept_position: Vec<u32> = first
            .iter()
            .map(|&first| {
                let position = kept_before;
                kept_before += u32::from(first);
                position
            })
            .collect();
        for position in index.values_mut() {
            *position = kept_position[*position as usize];
        }
        let mut keep = first.iter().copied();
        cores.retain(|_| keep.next().unwrap_or(true));
        let mut keep = first.iter().copied();
        names.retain(|_| keep.next().unwrap_or(true));
    }
    (cores, names, index)
}

fn resolve_dependencies(
    cores: &[CoreRegistration],
    index: &NameIndex,
    rank: &[u32],
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
                Some(&dep) if !deps.contains(&dep) => deps.push(dep),
                Some(_) => {}
                None => problems.push(ConfigProblem::UnknownDependency {
                    module: core.name,
                    dependency,
                    suggestion: closest(dependency, cores.iter().map(|c| c.name)),
                }),
            }
        }
        graph.push_node(deps.iter().map(|&dep| rank[dep as usize]));
    }
    graph
}

/// The installed capabilities, held only for the modules that have any (usually few).
struct Capabilities {
    /// Each node's entry in `sets`, or [`Capabilities::NONE`].
    slot: Vec<u32>,
    /// The nodes with at least one capability and their sets, by node.
    sets: Vec<(u32, CapabilitySet)>,
}

impl Capabilities {
    const NONE: u32 = u32::MAX;

    fn with(&self, has: fn(&CapabilitySet) -> bool) -> impl Iterator<Item = u32> + '_ {
        self.sets
            .iter()
            .filter(move |(_, set)| has(set))
            .map(|&(node, _)| node)
    }
}

fn install_capabilities(
    names: &[&'static str],
    index: &NameIndex,
    capabilities: Vec<CapabilityRegistration>,
    problems: &mut Vec<ConfigProblem>,
) -> Capabilities {
    let mut slot = vec![Capabilities::NONE; names.len()];
    let mut sets: Vec<(u32, CapabilitySet)> = Vec::new();
    for registration in capabilities {
        let CapabilityRegistration {
            module,
            capability,
            install,
        } = registration;
        match index.get(module) {
            Some(&node) => {
                let entry = &mut slot[node as usize];
                if *entry == Capabilities::NONE {
                    *entry = to_u32(sets.len());
                    sets.push((node, CapabilitySet::default()));
                }
                if !install(&mut sets[*entry as usize].1) {
                    problems.push(ConfigProblem::DuplicateCapability { module, capability });
                }
            }
            None => problems.push(ConfigProblem::CapabilityWithoutCore { module, capability }),
        }
    }
    sets.sort_unstable_by_key(|&(node, _)| node);
    for (entry, &(node, _)) in sets.iter().enumerate() {
        slot[node as usize] = to_u32(entry);
    }
    Capabilities { slot, sets }
}

fn check_singletons(
    cores: &[CoreRegistration],
    caps: &Capabilities,
    problems: &mut Vec<ConfigProblem>,
) {
    let holders = |has: fn(&CapabilitySet) -> bool| -> Vec<&'static str> {
        let mut names: Vec<_> = caps
            .with(has)
            .map(|node| cores[node as usize].name)
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

/// The nodes in name order: the sort's tie-breaker.
///
/// Compares the names' first 16 bytes as one integer (zero-padded, big-endian, so integer
/// order is byte order) and reads the whole names only when those are equal: most
/// comparisons then never leave the array being sorted.
fn name_ranking(names: &[&'static str]) -> Ranking {
    let mut by_name: Vec<(u128, u32)> = names
        .iter()
        .enumerate()
        .map(|(node, name)| (name_prefix(name), to_u32(node)))
        .collect();
    by_name.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| names[a.1 as usize].cmp(names[b.1 as usize]))
    });
    Ranking::from_order(by_name.into_iter().map(|(_, node)| node).collect())
}

/// A name's first 16 bytes, zero-padded, as a big-endian integer. If two prefixes differ,
/// they order the names as the names' bytes would.
fn name_prefix(name: &str) -> u128 {
    let bytes = name.as_bytes();
    let mut prefix = [0u8; 16];
    if let Some(first) = bytes.get(..16) {
        prefix.copy_from_slice(first);
    } else {
        prefix[..bytes.len()].copy_from_slice(bytes);
    }
    u128::from_be_bytes(prefix)
}

/// `graph` lists dependencies by rank (see [`resolve_dependencies`]); `order` holds nodes.
fn assemble(
    cores: Vec<CoreRegistration>,
    caps: Capabilities,
    mut index: NameIndex,
    graph: &DependencyGraph,
    ranking: &Ranking,
    order: &[u32],
) -> ModuleRegistry {
    let mut position = vec![0u32; cores.len()];
    let mut position_of_rank = vec![0u32; cores.len()];
    for (pos, &node) in order.iter().enumerate() {
        position[node as usize] = to_u32(pos);
        position_of_rank[ranking.rank[node as usize] as usize] = to_u32(pos);
    }
    let by_system_priority = system_priority(graph, &caps, ranking, order);

    let Capabilities { slot, mut sets } = caps;
    // The dependency lists first: allocating them in the loop below would keep its random
    // reads of `cores` from overlapping.
    let dep_positions: Vec<Box<[u32]>> = order
        .iter()
        .map(|&node| {
            graph
                .deps(node)
                .iter()
                .map(|&dep| position_of_rank[dep as usize])
                .collect()
        })
        .collect();
    let mut cores: Vec<Option<CoreRegistration>> = cores.into_iter().map(Some).collect();
    let modules: Vec<ModuleEntry> = order
        .iter()
        .zip(dep_positions)
        .map(|(&node, dep_positions)| {
            let core = cores[node as usize]
                .take()
                .expect("each node is placed once");
            let caps = if sets.is_empty() {
                CapabilitySet::default()
            } else {
                match slot[node as usize] {
                    Capabilities::NONE => CapabilitySet::default(),
                    entry => std::mem::take(&mut sets[entry as usize].1),
                }
            };
            ModuleEntry {
                name: core.name,
                deps: core.deps,
                core: core.module,
                caps,
                config: core.config,
                dep_positions,
            }
        })
        .collect();
    for node in index.values_mut() {
        *node = position[*node as usize];
    }
    let mut with_caps: Vec<u32> = sets
        .iter()
        .map(|&(node, _)| position[node as usize])
        .collect();
    with_caps.sort_unstable();
    ModuleRegistry::new(modules, by_system_priority, index, &with_caps)
}

/// Positions in topological order again, but with system modules as early as their
/// dependencies allow: the same sort, with ties broken by (class, position) instead of the
/// name, where system modules come first, then the modules some system module needs
/// (directly or not), then everything else.
///
/// A system module is placed as soon as its last dependency is; of the modules that are
/// ready, one a system module waits on goes before one that nobody system-level needs.
fn system_priority(
    graph: &DependencyGraph,
    caps: &Capabilities,
    ranking: &Ranking,
    order: &[u32],
) -> Vec<u32> {
    const SYSTEM: u8 = 0;
    const NEEDED_BY_SYSTEM: u8 = 1;
    const OTHER: u8 = 2;
    let nodes = graph.len();
    let mut stack: Vec<u32> = caps
        .with(|set| set.has::<super::capabilities::SystemCap>())
        .collect();
    if stack.is_empty() {
        return (0..to_u32(nodes)).collect();
    }
    let mut class = vec![OTHER; nodes];
    for &node in &stack {
        class[node as usize] = SYSTEM;
    }
    while let Some(node) = stack.pop() {
        for &dep in graph.deps(node) {
            let dep = ranking.by_rank[dep as usize];
            if class[dep as usize] == OTHER {
                class[dep as usize] = NEEDED_BY_SYSTEM;
                stack.push(dep);
            }
        }
    }
    let mut position = vec![0u32; nodes];
    for (place, &node) in order.iter().enumerate() {
        position[node as usize] = to_u32(place);
    }
    let class = &class;
    let by_priority_rank: Vec<u32> = [SYSTEM, NEEDED_BY_SYSTEM, OTHER]
        .into_iter()
        .flat_map(|wanted| {
            order
                .iter()
                .copied()
                .filter(move |&node| class[node as usize] == wanted)
        })
        .collect();
    let priority = Ranking::from_order(by_priority_rank);
    let graph = graph.map_deps(|dep| priority.rank[ranking.by_rank[dep as usize] as usize]);
    let dependents = graph.dependents_by_rank(&priority.rank);
    topo::sort(&graph, &dependents, &priority)
        .expect("the graph was sorted once already, so it has no cycle")
        .into_iter()
        .map(|node| position[node as usize])
        .collect()
}

#[cfg(test)]
mod tests;
