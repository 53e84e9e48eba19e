//! Dependency cycles that the new manifest has and the old one did not.
//!
//! `graph` refuses to describe a host whose modules depend on each other in a circle, so a
//! cycle shows up in a manifest written by hand or by another tool; a host built from it
//! would not start.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use super::{ChangeKind, DiffReport};
use crate::bootstrap::HostManifest;

pub(super) fn compare(old: &HostManifest, new: &HostManifest, report: &mut DiffReport) {
    let before = Graph::of(old);
    let old_cycles: Vec<BTreeSet<&str>> = before
        .cyclic_components()
        .into_iter()
        .map(|component| component.into_iter().map(|m| before.names[m]).collect())
        .collect();
    let after = Graph::of(new);
    for component in after.cyclic_components() {
        let members: BTreeSet<&str> = component.iter().map(|&m| after.names[m]).collect();
        // Modules that already formed a circle between them do not form a new one.
        if old_cycles.iter().any(|old| members.is_subset(old)) {
            continue;
        }
        let path = after.cycle_through(&component);
        report.breaks(
            ChangeKind::DependencyCycle,
            format!(
                "new dependency cycle: {} (no host can start these modules in any order)",
                drawn(&path, &after.names)
            ),
        );
    }
}

/// `a -> b -> a`; a circle of more than [`DRAWN`] modules shows its first ones and how
/// many it leaves out.
fn drawn(path: &[usize], names: &[&str]) -> String {
    let name = |m: &usize| format!("`{}`", names[*m]);
    if path.len() <= DRAWN {
        return path.iter().map(name).collect::<Vec<_>>().join(" -> ");
    }
    let head: Vec<String> = path[..DRAWN - 1].iter().map(name).collect();
    format!(
        "{} -> ({} more) -> {}",
        head.join(" -> "),
        path.len() - DRAWN,
        name(&path[path.len() - 1])
    )
}

const DRAWN: usize = 12;

/// Modules as indices, with an edge from each to each dependency the manifest lists.
struct Graph<'a> {
    names: Vec<&'a str>,
    edges: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    fn of(manifest: &'a HostManifest) -> Self {
        let names: Vec<&str> = manifest.modules.iter().map(|m| m.name.as_str()).collect();
        let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, &n)| (n, i)).collect();
        let edges = manifest
            .modules
            .iter()
            .map(|module| {
                let mut deps: Vec<usize> = module
                    .deps
                    .iter()
                    .filter_map(|dep| index.get(dep.as_str()).copied())
                    .collect();
                deps.sort_unstable();
                deps.dedup();
                deps
            })
            .collect();
        Self { names, edges }
    }

    /// The strongly connected components that contain a cycle (more than one module, or
    /// one that depends on itself), each sorted. Tarjan's algorithm without recursion, so a
    /// long chain of modules cannot overflow the stack.
    fn cyclic_components(&self) -> Vec<Vec<usize>> {
        let count = self.names.len();
        let mut order = vec![usize::MAX; count];
        let mut low = vec![0; count];
        let mut on_stack = vec![false; count];
        let mut stack = Vec::new();
        let mut next = 0;
        let mut components = Vec::new();
        for root in 0..count {
            if order[root] != usize::MAX {
                continue;
            }
            // (node, position of the next edge to follow)
            let mut work = vec![(root, 0)];
            order[root] = next;
            low[root] = next;
            next += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(&mut (node, ref mut edge)) = work.last_mut() {
                if let Some(&dep) = self.edges[node].get(*edge) {
                    *edge += 1;
                    if order[dep] == usize::MAX {
                        order[dep] = next;
                        low[dep] = next;
                        next += 1;
                        stack.push(dep);
                        on_stack[dep] = true;
                        work.push((dep, 0));
                    } else if on_stack[dep] {
                        low[node] = low[node].min(order[dep]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == order[node] {
                    let mut component = Vec::new();
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        component.push(member);
                        if member == node {
                            break;
                        }
                    }
                    let cyclic = component.len() > 1 || self.edges[node].contains(&node);
                    if cyclic {
                        component.sort_unstable();
                        components.push(component);
                    }
                }
            }
        }
        components
    }

    /// A circle through the component's first module, staying inside the component,
    /// ending where it started: `a -> b -> a`.
    fn cycle_through(&self, component: &[usize]) -> Vec<usize> {
        let start = component[0];
        let inside = |m: &usize| component.binary_search(m).is_ok();
        // Breadth-first from `start` back to `start` gives the shortest circle.
        let mut came_from: HashMap<usize, usize> = HashMap::new();
        let mut frontier = vec![start];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for node in frontier {
                for &dep in self.edges[node].iter().filter(|m| inside(m)) {
                    if dep == start {
                        let mut path = vec![node];
                        let mut at = node;
                        while at != start {
                            at = came_from[&at];
                            path.push(at);
                        }
                        path.reverse();
                        path.push(start);
                        return path;
                    }
                    if let Entry::Vacant(entry) = came_from.entry(dep) {
                        entry.insert(node);
                        next.push(dep);
                    }
                }
            }
            frontier = next;
        }
        // A strongly connected component always has a circle through each member.
        component.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{breaking, demo, diff};
    use super::*;

    fn depend(manifest: &mut HostManifest, module: &str, on: &str) {
        let module = manifest
            .modules
            .iter_mut()
            .find(|m| m.name == module)
            .unwrap();
        module.deps.push(on.to_owned());
        module.deps.sort();
    }

    #[test]
    fn a_new_cycle_breaks_and_is_drawn() {
        let old = demo();
        let mut new = demo();
        depend(&mut new, "audit", "ticker");
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::DependencyCycle),
            [
                "new dependency cycle: `audit` -> `ticker` -> `audit` (no host can start these \
              modules in any order)"
            ]
        );
    }

    #[test]
    fn a_module_depending_on_itself_is_a_cycle() {
        let old = demo();
        let mut new = demo();
        depend(&mut new, "audit", "audit");
        let report = diff(&old, &new);
        let cycles = breaking(&report, ChangeKind::DependencyCycle);
        assert_eq!(cycles.len(), 1);
        assert!(cycles[0].contains("`audit` -> `audit`"), "{cycles:?}");
    }

    #[test]
    fn a_cycle_the_old_manifest_had_is_not_new() {
        let mut old = demo();
        depend(&mut old, "audit", "ticker");
        let mut new = old.clone();
        depend(&mut new, "users", "ticker");
        let report = diff(&old, &new);
        assert!(
            breaking(&report, ChangeKind::DependencyCycle).is_empty(),
            "{report:#?}"
        );
    }

    #[test]
    fn a_long_chain_closed_into_a_ring_is_found_without_recursion() {
        let chain = |closed: bool| {
            let count = 50_000;
            let modules = (0..count)
                .map(|i| {
                    let dep = if i + 1 < count {
                        Some(format!("m{}", i + 1))
                    } else if closed {
                        Some("m0".to_owned())
                    } else {
                        None
                    };
                    crate::bootstrap::ModuleManifest {
                        name: format!("m{i}"),
                        deps: dep.into_iter().collect(),
                        placement: "local".to_owned(),
                        ..Default::default()
                    }
                })
                .collect();
            HostManifest {
                modules,
                ..Default::default()
            }
        };
        let report = diff(&chain(false), &chain(true));
        let cycles = breaking(&report, ChangeKind::DependencyCycle);
        assert_eq!(cycles.len(), 1);
        assert!(
            cycles[0].starts_with("new dependency cycle: `m0` -> `m1` -> "),
            "{}",
            &cycles[0][..80]
        );
    }
}
