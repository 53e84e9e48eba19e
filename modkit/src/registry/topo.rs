//! Kahn's algorithm over an integer graph, with a caller-chosen key breaking ties.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Module `i` depends on `deps[offsets[i]..offsets[i + 1]]` (compressed rows).
#[derive(Debug, Default)]
pub(crate) struct DependencyGraph {
    offsets: Vec<u32>,
    deps: Vec<u32>,
}

impl DependencyGraph {
    pub(crate) fn with_capacity(nodes: usize, edges: usize) -> Self {
        let mut offsets = Vec::with_capacity(nodes + 1);
        offsets.push(0);
        Self {
            offsets,
            deps: Vec::with_capacity(edges),
        }
    }

    /// Adds the next node, depending on `deps`.
    pub(crate) fn push_node(&mut self, deps: impl IntoIterator<Item = u32>) {
        self.deps.extend(deps);
        self.offsets.push(to_u32(self.deps.len()));
    }

    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub(crate) fn deps(&self, node: u32) -> &[u32] {
        let node = node as usize;
        &self.deps[self.offsets[node] as usize..self.offsets[node + 1] as usize]
    }

    /// The reverse graph: who depends on each node.
    pub(crate) fn dependents(&self) -> DependencyGraph {
        let nodes = self.len();
        let mut counts = vec![0u32; nodes + 1];
        for &dep in &self.deps {
            counts[dep as usize + 1] += 1;
        }
        for i in 0..nodes {
            counts[i + 1] += counts[i];
        }
        let offsets = counts.clone();
        let mut next = counts;
        let mut dependents = vec![0u32; self.deps.len()];
        for node in 0..to_u32(nodes) {
            for &dep in self.deps(node) {
                dependents[next[dep as usize] as usize] = node;
                next[dep as usize] += 1;
            }
        }
        DependencyGraph {
            offsets,
            deps: dependents,
        }
    }
}

/// Orders the nodes so that each comes after all its dependencies; among nodes whose
/// dependencies are all placed, the one with the smallest `key` comes first.
///
/// Returns the nodes left unplaced (each on or behind a cycle) on failure.
pub(crate) fn sort(graph: &DependencyGraph, dependents: &DependencyGraph, key: &[u64]) -> Result<Vec<u32>, Vec<u32>> {
    let nodes = graph.len();
    let mut waiting_on: Vec<u32> = (0..to_u32(nodes)).map(|node| to_u32(graph.deps(node).len())).collect();
    let mut ready: BinaryHeap<Reverse<(u64, u32)>> = waiting_on
        .iter()
        .enumerate()
        .filter(|&(_, &count)| count == 0)
        .map(|(node, _)| Reverse((key[node], to_u32(node))))
        .collect();
    let mut order = Vec::with_capacity(nodes);
    while let Some(Reverse((_, node))) = ready.pop() {
        order.push(node);
        for &dependent in dependents.deps(node) {
            let count = &mut waiting_on[dependent as usize];
            *count -= 1;
            if *count == 0 {
                ready.push(Reverse((key[dependent as usize], dependent)));
            }
        }
    }
    if order.len() == nodes {
        Ok(order)
    } else {
        Err((0..to_u32(nodes)).filter(|&node| waiting_on[node as usize] > 0).collect())
    }
}

/// Registries are bounded far below `u32::MAX` modules; the indices are `u32` to halve the
/// graph's memory traffic.
pub(crate) fn to_u32(value: usize) -> u32 {
    u32::try_from(value).expect("more than u32::MAX modules or dependencies")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[&[u32]]) -> DependencyGraph {
        let mut graph = DependencyGraph::with_capacity(edges.len(), 0);
        for deps in edges {
            graph.push_node(deps.iter().copied());
        }
        graph
    }

    #[test]
    fn dependencies_come_first_and_ties_follow_the_key() {
        // 0 depends on 2; 1 and 2 are free.
        let g = graph(&[&[2], &[], &[]]);
        let order = sort(&g, &g.dependents(), &[0, 1, 2]).unwrap();
        assert_eq!(order, vec![1, 2, 0]);
        let order = sort(&g, &g.dependents(), &[0, 5, 1]).unwrap();
        assert_eq!(order, vec![2, 0, 1]);
    }

    #[test]
    fn a_cycle_leaves_its_nodes_and_their_dependents_unplaced() {
        // 0 -> 1 -> 2 -> 1, 3 free.
        let g = graph(&[&[1], &[2], &[1], &[]]);
        assert_eq!(sort(&g, &g.dependents(), &[0, 1, 2, 3]).unwrap_err(), vec![0, 1, 2]);
    }
}
