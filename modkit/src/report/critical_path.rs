use std::cmp::Reverse;
use std::time::Duration;

/// The dependency chain with the largest total of `cost`, walking `deps` in topological
/// order (`deps[i]` holds positions smaller than `i`). Returns positions, dependencies first.
pub(crate) fn critical_path(deps: &[Box<[u32]>], cost: &[Duration]) -> Vec<u32> {
    let mut finish = vec![Duration::ZERO; deps.len()];
    let mut via: Vec<Option<u32>> = vec![None; deps.len()];
    for (module, module_deps) in deps.iter().enumerate() {
        let slowest_dep = module_deps
            .iter()
            .copied()
            .max_by_key(|&dep| (finish[dep as usize], Reverse(dep)));
        let before = slowest_dep.map_or(Duration::ZERO, |dep| finish[dep as usize]);
        finish[module] = before + cost[module];
        via[module] = slowest_dep;
    }
    let Some(end) = (0..finish.len()).max_by_key(|&m| (finish[m], Reverse(m))) else {
        return Vec::new();
    };
    let mut path = vec![u32::try_from(end).unwrap_or(u32::MAX)];
    while let Some(previous) = via[*path.last().unwrap_or(&0) as usize] {
        path.push(previous);
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slowest_chain_wins_over_the_slowest_module() {
        // 0 (5ms) <- 1 (5ms) <- 2 (5ms); 3 (12ms) alone.
        let deps: Vec<Box<[u32]>> = vec![Box::new([]), Box::new([0]), Box::new([1]), Box::new([])];
        let ms = Duration::from_millis;
        let path = critical_path(&deps, &[ms(5), ms(5), ms(5), ms(12)]);
        assert_eq!(path, vec![0, 1, 2]);
    }

    #[test]
    fn no_modules_no_path() {
        assert!(critical_path(&[], &[]).is_empty());
    }
}
