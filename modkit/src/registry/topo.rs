//! Kahn's algorithm over an integer graph, with a caller-chosen ranking breaking ties.

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

    /// The same rows with every listed node `d` replaced by `f(d)`.
    pub(crate) fn map_deps(&self, f: impl Fn(u32) -> u32) -> DependencyGraph {
        DependencyGraph {
            offsets: self.offsets.clone(),
            deps: self.deps.iter().map(|&dep| f(dep)).collect(),
        }
    }

    /// For a graph whose rows list dependencies by rank: who depends on each node, by
    /// rank. Row `r` lists `rank[n]` for every node `n` that depends on the node ranked `r`.
    pub(crate) fn dependents_by_rank(&self, rank: &[u32]) -> DependencyGraph {
        let nodes = self.len();
        let mut offsets = vec![0u32; nodes + 1];
        for &dep in &self.deps {
            offsets[dep as usize + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets[..nodes].to_vec();
        let mut dependents = vec![0u32; self.deps.len()];
        for (node, &node_rank) in rank.iter().enumerate().take(nodes) {
            for &dep in self.deps(to_u32(node)) {
                dependents[next[dep as usize] as usize] = node_rank;
                next[dep as usize] += 1;
            }
        }
        DependencyGraph {
            offsets,
            deps: dependents,
        }
    }
}

/// A tie-break order over the nodes: `rank[node]` is the node's place, `by_rank[place]` the
/// node in that place (so `rank` is a permutation of `0..n`).
#[derive(Debug)]
pub(crate) struct Ranking {
    pub(crate) rank: Vec<u32>,
    pub(crate) by_rank: Vec<u32>,
}

impl Ranking {
    /// The ranking that puts the nodes in the order `by_rank` lists them.
    pub(crate) fn from_order(by_rank: Vec<u32>) -> Self {
        let mut rank = vec![0u32; by_rank.len()];
        for (place, &node) in by_rank.iter().enumerate() {
            rank[node as usize] = to_u32(place);
        }
        Self { rank, by_rank }
    }
}

/// Orders the nodes so that each comes after all its dependencies; among nodes whose
/// dependencies are all placed, the one ranked first comes first.
///
/// `graph`'s rows (one per node) list dependencies by rank, and `dependents` is
/// `graph.dependents_by_rank(&ranking.rank)`: the sort runs on ranks, so it walks the
/// dependents rows nearly in order, and taking the first ready node is a few
/// `trailing_zeros` on a bitmap over ranks, not a heap operation. O(V + E).
///
/// Returns the nodes left unplaced (each on or behind a cycle), ascending, on failure.
pub(crate) fn sort(
    graph: &DependencyGraph,
    dependents: &DependencyGraph,
    ranking: &Ranking,
) -> Result<Vec<u32>, Vec<u32>> {
    let nodes = graph.len();
    let Ranking { rank, by_rank } = ranking;
    // Indexed by rank.
    let mut waiting_on = vec![0u32; nodes];
    for (node, pair) in graph.offsets.windows(2).enumerate() {
        waiting_on[rank[node] as usize] = pair[1] - pair[0];
    }
    let mut ready = RankSet::new(nodes);
    for (place, &count) in waiting_on.iter().enumerate() {
        if count == 0 {
            ready.insert(to_u32(place));
        }
    }
    let mut order = Vec::with_capacity(nodes);
    while let Some(place) = ready.pop_first() {
        order.push(by_rank[place as usize]);
        for &dependent in dependents.deps(place) {
            let count = &mut waiting_on[dependent as usize];
            *count -= 1;
            if *count == 0 {
                ready.insert(dependent);
            }
        }
    }
    if order.len() == nodes {
        Ok(order)
    } else {
        Err((0..to_u32(nodes))
            .filter(|&node| waiting_on[rank[node as usize] as usize] > 0)
            .collect())
    }
}

/// A set of integers below a fixed bound with a fast "take the smallest": a bitmap, plus a
/// summary bitmap per level (a bit per non-empty word of the level below) up to one word.
#[derive(Debug)]
struct RankSet {
    /// `levels[0]` holds the members; each next level summarises the one before.
    levels: Vec<Vec<u64>>,
}

impl RankSet {
    fn new(bound: usize) -> Self {
        let mut levels = Vec::new();
        let mut len = bound.max(1);
        loop {
            let words = len.div_ceil(64);
            levels.push(vec![0u64; words]);
            if words == 1 {
                break;
            }
            len = words;
        }
        Self { levels }
    }

    fn insert(&mut self, value: u32) {
        let mut index = value as usize;
        for level in &mut self.levels {
            let word = &mut level[index / 64];
            let was_empty = *word == 0;
            *word |= 1 << (index % 64);
            if !was_empty {
                // The levels above already know this word is non-empty.
                break;
            }
            index /= 64;
        }
    }

    fn pop_first(&mut self) -> Option<u32> {
        if self.levels.last().is_none_or(|top| top[0] == 0) {
            return None;
        }
        let mut index = 0usize;
        for level in self.levels.iter().rev() {
            index = index * 64 + level[index].trailing_zeros() as usize;
        }
        let first = index;
        for level in &mut self.levels {
            let word = &mut level[index / 64];
            *word &= !(1 << (index % 64));
            if *word != 0 {
                break;
            }
            index /= 64;
        }
        Some(to_u32(first))
    }
}

#[cfg(test)]
impl DependencyGraph {
    /// The graph in which node `i` depends on the nodes `edges[i]`.
    pub(crate) fn from_lists(edges: &[&[u32]]) -> Self {
        let mut graph = Self::with_capacity(edges.len(), 0);
        for deps in edges {
            graph.push_node(deps.iter().copied());
        }
        graph
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
        DependencyGraph::from_lists(edges)
    }

    fn ranking(rank: &[u32]) -> Ranking {
        let mut by_rank: Vec<u32> = (0..to_u32(rank.len())).collect();
        by_rank.sort_by_key(|&node| rank[node as usize]);
        Ranking::from_order(by_rank)
    }

    /// Sorts a graph given by node, as `build` does: rows relabelled to ranks first.
    fn sort_nodes(g: &DependencyGraph, rank: &[u32]) -> Result<Vec<u32>, Vec<u32>> {
        let ranking = ranking(rank);
        let by_rank = g.map_deps(|dep| ranking.rank[dep as usize]);
        sort(
            &by_rank,
            &by_rank.dependents_by_rank(&ranking.rank),
            &ranking,
        )
    }

    #[test]
    fn dependencies_come_first_and_ties_follow_the_rank() {
        // 0 depends on 2; 1 and 2 are free.
        let g = graph(&[&[2], &[], &[]]);
        assert_eq!(sort_nodes(&g, &[0, 1, 2]).unwrap(), vec![1, 2, 0]);
        assert_eq!(sort_nodes(&g, &[0, 2, 1]).unwrap(), vec![2, 0, 1]);
    }

    #[test]
    fn a_cycle_leaves_its_nodes_and_their_dependents_unplaced() {
        // 0 -> 1 -> 2 -> 1, 3 free.
        let g = graph(&[&[1], &[2], &[1], &[]]);
        assert_eq!(sort_nodes(&g, &[0, 1, 2, 3]).unwrap_err(), vec![0, 1, 2]);
        assert_eq!(sort_nodes(&g, &[3, 2, 1, 0]).unwrap_err(), vec![0, 1, 2]);
    }

    /// The heap-based Kahn's algorithm the bitmap replaced, as the reference.
    fn sort_with_heap(graph: &DependencyGraph, rank: &[u32]) -> Vec<u32> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        // Who depends on each node, by node.
        let mut dependents_of = vec![Vec::new(); graph.len()];
        for node in 0..to_u32(graph.len()) {
            for &dep in graph.deps(node) {
                dependents_of[dep as usize].push(node);
            }
        }
        let mut waiting_on: Vec<u32> = (0..to_u32(graph.len()))
            .map(|n| to_u32(graph.deps(n).len()))
            .collect();
        let mut ready: BinaryHeap<Reverse<(u32, u32)>> = (0..to_u32(graph.len()))
            .filter(|&n| waiting_on[n as usize] == 0)
            .map(|n| Reverse((rank[n as usize], n)))
            .collect();
        let mut order = Vec::new();
        while let Some(Reverse((_, node))) = ready.pop() {
            order.push(node);
            for &d in &dependents_of[node as usize] {
                waiting_on[d as usize] -= 1;
                if waiting_on[d as usize] == 0 {
                    ready.push(Reverse((rank[d as usize], d)));
                }
            }
        }
        order
    }

    #[test]
    fn the_bitmap_queue_orders_like_a_heap_on_random_graphs() {
        let mut state = 0x1234_5678_9abc_def0_u64;
        let mut next = |bound: u32| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            u32::try_from(state % u64::from(bound)).unwrap()
        };
        // Sizes on both sides of each bitmap level (64, 4096).
        for nodes in [1u32, 2, 63, 64, 65, 500, 4095, 4097, 10_000] {
            let mut g = DependencyGraph::with_capacity(nodes as usize, 0);
            let mut rank: Vec<u32> = (0..nodes).collect();
            for i in (1..nodes as usize).rev() {
                rank.swap(i, next(to_u32(i + 1)) as usize);
            }
            // Node labels shuffled against the dependency direction.
            let mut label: Vec<u32> = (0..nodes).collect();
            for i in (1..nodes as usize).rev() {
                label.swap(i, next(to_u32(i + 1)) as usize);
            }
            let mut deps_of = vec![Vec::new(); nodes as usize];
            for i in 1..nodes {
                for _ in 0..next(4) {
                    let dep = label[next(i) as usize];
                    if !deps_of[label[i as usize] as usize].contains(&dep) {
                        deps_of[label[i as usize] as usize].push(dep);
                    }
                }
            }
            for deps in &deps_of {
                g.push_node(deps.iter().copied());
            }
            let expected = sort_with_heap(&g, &rank);
            assert_eq!(expected.len(), nodes as usize);
            assert_eq!(sort_nodes(&g, &rank).unwrap(), expected, "{nodes} nodes");
        }
    }
}
