//! Supervised in-process modules: a stateful module whose section has
//! `runtime.restart` is restarted, with the modules that depend on it, when its task fails
//! after start-up.
//!
//! A restart of module `m`:
//! 1. stops `m`'s running stateful dependents (transitively), the last to start first;
//! 2. stops `m` (its `stop` hook: a lifecycle task's error shows there and is expected);
//! 3. waits its backoff (`initial_backoff`, doubled per restart in a row, with jitter) and
//!    runs `m`'s `start` again; a start that fails counts as another crash;
//! 4. starts the dependents again, dependencies first.
//!
//! `init` does not run again: the module instance, its context and its clients stay. The
//! token `start` gets is the module's own, which fires only at shutdown, so a lifecycle task
//! started again watches the same token. Past `max_restarts` restarts in a row (a module
//! that stays up `stable_after` has its count reset) the module and the dependents stopped
//! for it are left failed, readiness says so, and the rest of the host keeps serving.
//!
//! Every transition is in the module's state, the log and the runtime report
//! ([`ModuleReport::restarts`](crate::runtime::ModuleReport::restarts) and
//! [`last_failure`](crate::runtime::ModuleReport::last_failure)).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::time::Instant;

use super::Run;
use crate::base::{HookFailure, ModuleId};
use crate::registry::RunnableCap;
use crate::runtime::ModuleState;
use crate::runtime::hook::{HookLimits, run_hook};
use crate::runtime::restart::{RestartPolicy, RestartSettings, jitter_seed, restart_delay};

/// Which modules the supervisor has stopped and not started again: shutdown runs no `stop`
/// for them.
pub(super) struct Paused(Box<[AtomicBool]>);

impl Paused {
    pub(super) fn new(modules: usize) -> Self {
        Self((0..modules).map(|_| AtomicBool::new(false)).collect())
    }

    pub(super) fn is_paused(&self, m: ModuleId) -> bool {
        self.0[m.index()].load(Ordering::Acquire)
    }

    fn set(&self, m: ModuleId, paused: bool) {
        self.0[m.index()].store(paused, Ordering::Release);
    }
}

/// One supervised module's crashes in a row.
#[derive(Default)]
struct Crashes {
    in_a_row: u32,
    /// When it last came back up.
    restarted_at: Option<Instant>,
    gave_up: bool,
}

impl Run {
    /// Records why modules failed after start-up, and restarts the supervised ones whose
    /// task failed, until the host shuts down (the caller drops this future then).
    pub(super) async fn supervise(&self) -> Infallible {
        let supervised: Vec<ModuleId> = self
            .module_ids()
            .filter(|&m| self.restart_settings(m).is_some() && self.progress.started[m.index()])
            .collect();
        let Some(first) = self.module_ids().next() else {
            return std::future::pending().await;
        };
        let failures = self.handle(first).task_failures();
        let mut crashes: HashMap<ModuleId, Crashes> = HashMap::new();
        loop {
            for (module, error) in failures.next().await {
                let m = ModuleId::from_raw(module);
                if crashes.get(&m).is_some_and(|crashes| crashes.gave_up) {
                    // Its last runs' failures; the report keeps why it was given up on.
                    continue;
                }
                self.report.update(|report| {
                    report.modules[m.index()].last_failure = Some(error.clone().into());
                });
                if !supervised.contains(&m) || self.handle(m).state() != ModuleState::Failed {
                    continue;
                }
                self.restart(m, crashes.entry(m).or_default(), &error).await;
            }
        }
    }

    /// Module `m`'s restart settings, if it is supervised in process.
    pub(super) fn restart_settings(&self, m: ModuleId) -> Option<&RestartSettings> {
        self.modules[m.index()].restart.as_deref()
    }

    async fn restart(&self, m: ModuleId, crashes: &mut Crashes, error: &str) {
        let Some(settings) = self.restart_settings(m) else {
            return;
        };
        let name = self.name(m);
        if crashes.gave_up || settings.policy == RestartPolicy::Never {
            return;
        }
        if crashes
            .restarted_at
            .is_some_and(|at| at.elapsed() >= settings.stable_after)
        {
            crashes.in_a_row = 0;
        }
        let dependents = self.running_dependents(m);
        let names: Vec<&str> = dependents.iter().map(|&d| self.name(d)).collect();
        tracing::warn!(
            module = name,
            error,
            dependents = ?names,
            "`{name}`'s task failed; restarting it and the modules that depend on it"
        );
        for &d in dependents.iter().rev() {
            self.pause(d).await;
        }
        self.pause(m).await;
        loop {
            if crashes.in_a_row >= settings.max_restarts {
                crashes.gave_up = true;
                self.give_up(m, &dependents, settings.max_restarts);
                return;
            }
            crashes.in_a_row += 1;
            let delay = restart_delay(settings, crashes.in_a_row, jitter_seed());
            // tokio's timer fires on millisecond ticks: even a zero sleep would wait for one.
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            match self.resume(m).await {
                Ok(()) => break,
                Err(failure) => {
                    tracing::warn!(module = name, failure = %failure, restart = crashes.in_a_row, "restarting `{name}` failed");
                    self.report.update(|report| {
                        report.modules[m.index()].last_failure =
                            Some(format!("restart failed: {failure}").into());
                    });
                    self.pause(m).await;
                }
            }
        }
        crashes.restarted_at = Some(Instant::now());
        self.report
            .update(|report| report.modules[m.index()].restarts += 1);
        tracing::info!(
            module = name,
            restart = crashes.in_a_row,
            "`{name}` restarted"
        );
        for &d in &dependents {
            if let Err(failure) = self.resume(d).await {
                let dependent = self.name(d);
                tracing::error!(module = dependent, failure = %failure, "`{dependent}` did not start again after `{name}` restarted");
                self.handle(d).set_state(ModuleState::Failed);
            }
        }
    }

    /// The running, stateful, in-process modules that depend on `m`, directly or not, in
    /// start order.
    fn running_dependents(&self, m: ModuleId) -> Vec<ModuleId> {
        let mut reached = vec![false; self.modules.len()];
        let mut frontier = vec![m.raw()];
        while let Some(next) = frontier.pop() {
            let (from, to) = (
                self.dependent_offsets[next as usize] as usize,
                self.dependent_offsets[next as usize + 1] as usize,
            );
            for &dependent in &self.dependents[from..to] {
                if !reached[dependent as usize] {
                    reached[dependent as usize] = true;
                    frontier.push(dependent);
                }
            }
        }
        self.priority
            .iter()
            .map(|&p| ModuleId::from_raw(p))
            .filter(|&d| {
                reached[d.index()]
                    && self.progress.started[d.index()]
                    && !self.paused.is_paused(d)
                    && self.cap_ref::<RunnableCap>(d).is_some()
                    && self.handle(d).state().is_serving()
            })
            .collect()
    }

    /// Stops module `m` for a restart: its `stop` runs within its deadline, but its own
    /// token does not fire (it is what `start` gets again). A failing `stop` is logged.
    async fn pause(&self, m: ModuleId) {
        let Some(runnable) = self.cap_ref::<RunnableCap>(m) else {
            return;
        };
        let handle = self.handle(m);
        handle.set_state(ModuleState::Stopping);
        let token = tokio_util::sync::CancellationToken::new();
        let limits = HookLimits {
            deadline: Some(self.modules[m.index()].deadlines.stop),
            ..HookLimits::default()
        };
        let (_, outcome) = handle
            .scope(run_hook(runnable.stop(token.clone()), limits))
            .await;
        token.cancel();
        if let Err(failure) = outcome {
            // A lifecycle task's error is what `stop` of a crashed module reports.
            tracing::debug!(module = self.name(m), failure = ?failure, "stop before a restart failed");
        }
        self.paused.set(m, true);
        handle.set_state(ModuleState::Starting);
    }

    /// Starts module `m` again after [`pause`](Self::pause), within its start deadline.
    async fn resume(&self, m: ModuleId) -> anyhow::Result<()> {
        let Some(runnable) = self.cap_ref::<RunnableCap>(m) else {
            return Ok(());
        };
        let handle = self.handle(m);
        handle.set_state(ModuleState::Starting);
        let token = handle.cancellation_token().clone();
        let limits = HookLimits {
            deadline: Some(self.modules[m.index()].deadlines.start),
            abandon_on: Some(&self.cancel),
            watch: None,
        };
        let (_, outcome) = handle.scope(run_hook(runnable.start(token), limits)).await;
        match outcome {
            Ok(()) => {}
            Err(HookFailure::Error(error)) => return Err(error),
            Err(HookFailure::Cancelled) => anyhow::bail!("the host is shutting down"),
        }
        self.paused.set(m, false);
        handle.become_ready();
        Ok(())
    }

    /// Leaves `m` and the dependents stopped for it failed.
    fn give_up(&self, m: ModuleId, dependents: &[ModuleId], limit: u32) {
        let name = self.name(m);
        let reason = format!("gave up restarting after {limit} restarts in a row");
        tracing::error!(
            module = name,
            "`{name}` keeps failing: {reason}; it and the modules depending on it stay failed"
        );
        self.handle(m).set_state(ModuleState::Failed);
        for &d in dependents {
            self.handle(d).set_state(ModuleState::Failed);
        }
        self.report.update(|report| {
            report.modules[m.index()].last_failure = Some(reason.into());
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paused_modules_are_remembered_until_started_again() {
        let paused = Paused::new(3);
        let m = ModuleId::from_index(1);
        assert!(!paused.is_paused(m));
        paused.set(m, true);
        assert!(paused.is_paused(m));
        paused.set(m, false);
        assert!(!paused.is_paused(m));
    }
}
