//! Naming the cycles that stopped a sort, without recursion (a chain of a million modules
//! must not overflow a small stack).

use super::topo::DependencyGraph;

/// Every cycle reachable from `stuck` (the nodes a sort could not place), each as a path
/// that starts and ends at its node with the smallest `rank`.
pub(crate) fn find_cycles(graph: &DependencyGraph, stuck: &[u32], rank: &[u32]) -> Vec<Vec<u32>> {
    const UNSEEN: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;

    let mut starts = stuck.to_vec();
    starts.sort_by_key(|&node| rank[node as usize]);
    let mut mark = vec![UNSEEN; graph.len()];
    let mut cycles = Vec::new();
    // The current walk: each node with the position of its next dependency to follow.
    let mut path: Vec<(u32, usize)> = Vec::new();

    for start in starts {
        if mark[start as usize] != UNSEEN {
            continue;
        }
        mark[start as usize] = ON_PATH;
        path.push((start, 0));
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let deps = graph.deps(node);
            if let Some(&dep) = deps.get(*next) {
                *next += 1;
                match mark[dep as usize] {
                    UNSEEN => {
                        mark[dep as usize] = ON_PATH;
                        path.push((dep, 0));
                    }
                    ON_PATH => {
                        let from = path.iter().position(|&(n, _)| n == dep).unwrap_or(0);
                        cycles.push(rotate_to_smallest(
                            path[from..].iter().map(|&(n, _)| n).collect(),
                            rank,
                        ));
                    }
                    _ => {}
                }
            } else {
                mark[node as usize] = DONE;
                path.pop();
            }
        }
    }
    cycles
}

/// `[b, c, a]` with `a` smallest becomes `[a, b, c, a]`.
fn rotate_to_smallest(mut cycle: Vec<u32>, rank: &[u32]) -> Vec<u32> {
    let smallest = (0..cycle.len())
        .min_by_key(|&i| rank[cycle[i] as usize])
        .unwrap_or(0);
    cycle.rotate_left(smallest);
    if let Some(&first) = cycle.first() {
        cycle.push(first);
    }
    cycle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[&[u32]]) -> DependencyGraph {
        DependencyGraph::from_lists(edges)
    }

    #[test]
    fn a_three_node_cycle_is_reported_from_its_smallest_node() {
        // 0 -> 1 -> 2 -> 0 with ranks making 1 the smallest.
        let g = graph(&[&[1], &[2], &[0]]);
        assert_eq!(
            find_cycles(&g, &[0, 1, 2], &[5, 1, 3]),
            vec![vec![1, 2, 0, 1]]
        );
    }

    #[test]
    fn a_self_dependency_is_a_cycle_of_one() {
        let g = graph(&[&[0]]);
        assert_eq!(find_cycles(&g, &[0], &[0]), vec![vec![0, 0]]);
    }

    #[test]
    fn separate_cycles_are_all_found_and_dependents_are_not_cycles() {
        // 0 -> 1 -> 0; 2 -> 3 -> 2; 4 depends on 0.
        let g = graph(&[&[1], &[0], &[3], &[2], &[0]]);
        let cycles = find_cycles(&g, &[0, 1, 2, 3, 4], &[0, 1, 2, 3, 4]);
        assert_eq!(cycles, vec![vec![0, 1, 0], vec![2, 3, 2]]);
    }

    #[test]
    fn a_million_long_chain_closing_on_itself_needs_no_recursion() {
        let n = 1_000_000u32;
        let mut g = DependencyGraph::with_capacity(n as usize, n as usize);
        for node in 0..n {
            g.push_node([(node + 1) % n]);
        }
        let rank: Vec<u32> = (0..n).collect();
        let stuck: Vec<u32> = (0..n).collect();
        let cycles = find_cycles(&g, &stuck, &rank);
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].len(), n as usize + 1);
    }
}
