//! What the runtime records while it runs, kept compact; [`RuntimeReport`] is built from it
//! only when someone asks for a snapshot.
//!
//! A host of 10,000 modules records 20,000 hooks during a run. Kept as the public report's
//! shape (a `String` name and a `Vec` of hooks per module), that is two heap blocks per
//! module that live until the host ends, and at that size allocating and freeing them was
//! a large part of running no-op modules (see `benches/lifecycle.rs`). Here the hooks go
//! into one list for the whole host, 24 bytes each, and each module has one fixed-size
//! record in one array.

use std::time::Duration;

use super::{HookOutcome, HookReport, ModuleReport, PhaseReport, RuntimeReport};
use crate::base::{ModuleState, Phase};

/// The runtime's record of one run, edited under the report's lock.
#[derive(Debug, Default)]
pub(crate) struct ReportState {
    /// Phases that ran, in order.
    pub(crate) phases: Vec<PhaseReport>,
    /// One record per module, by position.
    pub(crate) modules: Vec<ModuleRecord>,
    /// Every hook that ran, in the order recorded.
    hooks: Vec<HookRecord>,
    /// The modules along the start-up's critical path, once start-up ended.
    pub(crate) critical_path: Vec<String>,
    /// Wall time of start-up, once it ended.
    pub(crate) startup_duration: Option<Duration>,
}

/// What the report keeps of one module besides its hooks.
#[derive(Debug, Default, Clone)]
pub(crate) struct ModuleRecord {
    /// The sum of its start-up hooks' durations (every hook but stop).
    startup: Duration,
    /// Tasks it spawned that were still running past its stop deadline and were aborted.
    pub(crate) leaked_tasks: Vec<String>,
    /// Declared dependencies whose clients it never got.
    pub(crate) unused_deps: Vec<String>,
}

impl ModuleRecord {
    /// Time spent in start-up hooks (everything but stop).
    pub(crate) fn startup_time(&self) -> Duration {
        self.startup
    }
}

/// One hook's line, a third of a [`HookReport`]'s size: most hooks succeed, and a success
/// needs no outcome of its own.
#[derive(Debug)]
struct HookRecord {
    module: u32,
    phase: Phase,
    nanos: u64,
    /// `None` for [`HookOutcome::Ok`].
    failure: Option<Box<HookOutcome>>,
}

impl HookRecord {
    fn report(&self) -> HookReport {
        HookReport {
            phase: self.phase,
            duration: Duration::from_nanos(self.nanos),
            outcome: self.failure.as_deref().cloned().unwrap_or(HookOutcome::Ok),
        }
    }
}

impl ReportState {
    /// A record for each of `modules` modules, with no hooks yet.
    pub(crate) fn for_modules(modules: usize) -> Self {
        Self {
            modules: vec![ModuleRecord::default(); modules],
            // Most modules run init and either nothing else or start and stop.
            hooks: Vec::with_capacity(modules * 2),
            ..Self::default()
        }
    }

    /// Makes room for `more` hooks, so that a phase's lines go in without regrowing.
    pub(crate) fn reserve_hooks(&mut self, more: usize) {
        self.hooks.reserve(more);
    }

    /// Adds one hook's line to module `module`'s report.
    pub(crate) fn push_hook(&mut self, module: u32, hook: HookReport) {
        if hook.phase != Phase::Stop {
            if let Some(record) = self.modules.get_mut(module as usize) {
                record.startup += hook.duration;
            }
        }
        let HookReport {
            phase,
            duration,
            outcome,
        } = hook;
        self.hooks.push(HookRecord {
            module,
            phase,
            nanos: u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX),
            failure: (!outcome.is_ok()).then(|| Box::new(outcome)),
        });
    }

    /// The public report: `names` and `states` give each module's name and current state.
    pub(crate) fn to_report(
        &self,
        names: impl Iterator<Item = (&'static str, ModuleState)>,
    ) -> RuntimeReport {
        let mut per_module = vec![0usize; self.modules.len()];
        for record in &self.hooks {
            if let Some(count) = per_module.get_mut(record.module as usize) {
                *count += 1;
            }
        }
        let mut modules: Vec<ModuleReport> = self
            .modules
            .iter()
            .zip(names)
            .zip(&per_module)
            .map(|((record, (name, state)), &hooks)| ModuleReport {
                name: name.to_owned(),
                state,
                hooks: Vec::with_capacity(hooks),
                leaked_tasks: record.leaked_tasks.clone(),
                unused_deps: record.unused_deps.clone(),
            })
            .collect();
        for record in &self.hooks {
            if let Some(module) = modules.get_mut(record.module as usize) {
                module.hooks.push(record.report());
            }
        }
        RuntimeReport {
            host_state: super::HostState::default(),
            phases: self.phases.clone(),
            modules,
            critical_path: self.critical_path.clone(),
            startup_duration: self.startup_duration,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(phase: Phase, ms: u64) -> HookReport {
        HookReport {
            phase,
            duration: Duration::from_millis(ms),
            outcome: HookOutcome::Ok,
        }
    }

    #[test]
    fn hooks_land_with_their_module_in_the_order_recorded() {
        let mut state = ReportState::for_modules(2);
        state.push_hook(1, hook(Phase::Init, 1));
        state.push_hook(0, hook(Phase::Init, 2));
        state.push_hook(1, hook(Phase::Start, 3));
        state.push_hook(
            1,
            HookReport {
                phase: Phase::Stop,
                duration: Duration::from_millis(4),
                outcome: HookOutcome::Cancelled,
            },
        );
        state.modules[0].unused_deps = vec!["audit".to_owned()];
        let names = [("a", ModuleState::Ready), ("b", ModuleState::Stopped)];
        let report = state.to_report(names.into_iter());
        assert_eq!(report.modules[0].name, "a");
        assert_eq!(report.modules[0].hooks, vec![hook(Phase::Init, 2)]);
        assert_eq!(report.modules[0].unused_deps, vec!["audit".to_owned()]);
        assert_eq!(report.modules[1].state, ModuleState::Stopped);
        assert_eq!(
            report.modules[1].hooks,
            vec![
                hook(Phase::Init, 1),
                hook(Phase::Start, 3),
                HookReport {
                    phase: Phase::Stop,
                    duration: Duration::from_millis(4),
                    outcome: HookOutcome::Cancelled,
                }
            ]
        );
    }

    #[test]
    fn startup_time_leaves_out_stop() {
        let mut state = ReportState::for_modules(1);
        state.push_hook(0, hook(Phase::Init, 2));
        state.push_hook(0, hook(Phase::Start, 3));
        state.push_hook(0, hook(Phase::Stop, 50));
        assert_eq!(state.modules[0].startup_time(), Duration::from_millis(5));
        let report = state.to_report([("a", ModuleState::Stopped)].into_iter());
        assert_eq!(report.modules[0].startup_time(), Duration::from_millis(5));
    }
}
