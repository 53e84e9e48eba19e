//! Running one hook per module in dependency order, one at a time or several side by side.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use super::hook::HookFailure;

/// For each module, a list of modules.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Lists<'a> {
    /// One boxed slice per module.
    Boxed(&'a [Box<[u32]>]),
    /// Compressed rows: module `i`'s list is `items[offsets[i]..offsets[i + 1]]`.
    Rows {
        offsets: &'a [u32],
        items: &'a [u32],
    },
}

impl<'a> Lists<'a> {
    /// The number of modules.
    pub(crate) fn len(&self) -> usize {
        match self {
            Lists::Boxed(lists) => lists.len(),
            Lists::Rows { offsets, .. } => offsets.len().saturating_sub(1),
        }
    }

    /// Module `module`'s list.
    pub(crate) fn get(&self, module: u32) -> &'a [u32] {
        let module = module as usize;
        match *self {
            Lists::Boxed(lists) => &lists[module],
            Lists::Rows { offsets, items } => {
                &items[offsets[module] as usize..offsets[module + 1] as usize]
            }
        }
    }
}

/// Which modules wait for which, for one direction of the lifecycle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edges<'a> {
    /// For each module: the modules that must finish first.
    pub(crate) waits_for: Lists<'a>,
    /// For each module: the modules that wait for it.
    pub(crate) unblocks: Lists<'a>,
}

impl<'a> Edges<'a> {
    /// The same edges walked backwards (for stopping).
    pub(crate) fn reversed(self) -> Self {
        Self {
            waits_for: self.unblocks,
            unblocks: self.waits_for,
        }
    }
}

/// What one hook gives back: how long it took and how it ended.
pub(crate) type HookResult = (Duration, Result<(), HookFailure>);

/// One hook that ran, and what it gave back.
#[derive(Debug)]
pub(crate) struct HookRun<T = HookResult> {
    pub(crate) module: u32,
    pub(crate) output: T,
}

/// Whether a hook's outcome is a failure that ends the phase.
pub(crate) fn hook_failed(output: &HookResult) -> bool {
    output.1.is_err()
}

/// Runs `hook` for every module in `order` that `participates`, never before the modules it
/// waits for (participating or not) are done, at most `concurrency` at a time; with more
/// than one ready, the earliest in `order` goes first.
///
/// After the first output that `failed` says is a failure, no new hook begins: `on_failure`
/// runs once (to tell the hooks in flight to give up) and those in flight are awaited.
/// Returns the hooks that ran, in the order they finished.
pub(crate) async fn run_scheduled<T, H, F>(
    order: &[u32],
    edges: Edges<'_>,
    participates: impl Fn(u32) -> bool,
    concurrency: usize,
    on_failure: impl FnOnce(),
    failed: impl Fn(&T) -> bool,
    mut hook: H,
) -> Vec<HookRun<T>>
where
    H: FnMut(u32) -> F,
    F: Future<Output = T>,
{
    // Sized up front: a phase of 10,000 hooks would otherwise regrow it a dozen times.
    let mut runs = Vec::with_capacity(order.iter().filter(|&&m| participates(m)).count());
    if concurrency <= 1 {
        // `order` is already a valid order, so one at a time needs no bookkeeping.
        for &module in order.iter().filter(|&&m| participates(m)) {
            let output = hook(module).await;
            let stop = failed(&output);
            runs.push(HookRun { module, output });
            if stop {
                on_failure();
                break;
            }
        }
        return runs;
    }

    let nodes = edges.waits_for.len();
    let mut rank = vec![0u32; nodes];
    for (position, &module) in order.iter().enumerate() {
        rank[module as usize] = u32::try_from(position).unwrap_or(u32::MAX);
    }
    let mut waiting: Vec<usize> = (0..nodes)
        .map(|m| edges.waits_for.get(m as u32).len())
        .collect();
    let mut ready: BinaryHeap<Reverse<(u32, u32)>> = order
        .iter()
        .filter(|&&m| waiting[m as usize] == 0)
        .map(|&m| Reverse((rank[m as usize], m)))
        .collect();
    let mut in_flight = FuturesUnordered::new();
    let mut on_failure = Some(on_failure);

    let unblock =
        |module: u32, waiting: &mut Vec<usize>, ready: &mut BinaryHeap<Reverse<(u32, u32)>>| {
            for &next in edges.unblocks.get(module) {
                waiting[next as usize] -= 1;
                if waiting[next as usize] == 0 {
                    ready.push(Reverse((rank[next as usize], next)));
                }
            }
        };

    loop {
        while on_failure.is_some() && in_flight.len() < concurrency {
            let Some(Reverse((_, module))) = ready.pop() else {
                break;
            };
            if participates(module) {
                let run = hook(module);
                in_flight.push(async move {
                    let output = run.await;
                    HookRun { module, output }
                });
            } else {
                unblock(module, &mut waiting, &mut ready);
            }
        }
        let Some(run) = in_flight.next().await else {
            break;
        };
        if !failed(&run.output) {
            unblock(run.module, &mut waiting, &mut ready);
        } else if let Some(on_failure) = on_failure.take() {
            on_failure();
        }
        runs.push(run);
    }
    runs
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn boxed(lists: &[&[u32]]) -> Vec<Box<[u32]>> {
        lists
            .iter()
            .map(|l| l.to_vec().into_boxed_slice())
            .collect()
    }

    async fn ok_after_yield() -> (Duration, Result<(), HookFailure>) {
        tokio::task::yield_now().await;
        (Duration::ZERO, Ok(()))
    }

    #[tokio::test]
    async fn concurrent_runs_respect_dependencies_through_non_participants() {
        // 2 depends on 1, 1 depends on 0; 1 does not participate.
        let deps = boxed(&[&[], &[0], &[1]]);
        let dependents = boxed(&[&[1], &[2], &[]]);
        let edges = Edges {
            waits_for: Lists::Boxed(&deps),
            unblocks: Lists::Boxed(&dependents),
        };
        let log = Mutex::new(Vec::new());
        let runs = run_scheduled(
            &[0, 1, 2],
            edges,
            |m| m != 1,
            4,
            || {},
            hook_failed,
            |m| {
                log.lock().unwrap().push(("begin", m));
                let log = &log;
                async move {
                    let result = ok_after_yield().await;
                    log.lock().unwrap().push(("end", m));
                    result
                }
            },
        )
        .await;
        assert_eq!(runs.len(), 2);
        assert_eq!(
            *log.lock().unwrap(),
            vec![("begin", 0), ("end", 0), ("begin", 2), ("end", 2)]
        );
    }

    #[tokio::test]
    async fn after_a_failure_nothing_new_begins() {
        let deps = boxed(&[&[], &[], &[0]]);
        let dependents = boxed(&[&[2], &[], &[]]);
        let edges = Edges {
            waits_for: Lists::Boxed(&deps),
            unblocks: Lists::Boxed(&dependents),
        };
        let failures = Mutex::new(0);
        let runs = run_scheduled(
            &[0, 1, 2],
            edges,
            |_| true,
            1,
            || *failures.lock().unwrap() += 1,
            hook_failed,
            |m| async move {
                if m == 1 {
                    (Duration::ZERO, Err(HookFailure::Cancelled))
                } else {
                    (Duration::ZERO, Ok(()))
                }
            },
        )
        .await;
        let ran: Vec<u32> = runs.iter().map(|r| r.module).collect();
        assert_eq!(ran, vec![0, 1]);
        assert_eq!(*failures.lock().unwrap(), 1);
    }
}
