//! What the runtime records while it runs, kept compact; [`RuntimeReport`] is built from it
//! only when someone asks for a snapshot.
//!
//! A host of 10,000 modules records 20,000 hooks during a run. Kept as the public report's
//! shape (a `String` name and a `Vec` of hooks per module), that is two heap blocks per
//! module that live until the host ends, and at that size allocating and freeing them was
//! a large part of running no-op modules (see `benches/lifecycle.rs`). Here the hooks go
//! into one list for the whole host, 24 bytes each, and each module has one fixed-size
//! record in one array.

use std::time::{Duration, Instant};

use super::{
    CheckReport, HookInProgress, HookOutcome, HookReport, ModuleReport, PhaseReport, Readiness,
    RuntimeReport,
};
use crate::base::{Health, ModuleState, Phase};

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
    /// Hooks that did not finish at once and are still running: `(module, phase, began)`.
    in_progress: Vec<(u32, Phase, Instant)>,
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
    /// Whether the host's readiness waits for it.
    pub(crate) readiness: Readiness,
    /// Its last health check and when it answered (boxed: most modules have none).
    check: Option<Box<(Health, Instant)>>,
    /// Restarts by its supervisor.
    pub(crate) restarts: u32,
    /// Why its task last failed, or why its supervisor gave up.
    pub(crate) last_failure: Option<Box<str>>,
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

    /// Notes that module `module`'s hook in `phase` is running, since `began`.
    pub(crate) fn hook_running(&mut self, module: u32, phase: Phase, began: Instant) {
        self.in_progress.push((module, phase, began));
    }

    /// Notes that module `module`'s hook in `phase` no longer runs.
    pub(crate) fn hook_ended(&mut self, module: u32, phase: Phase) {
        self.in_progress
            .retain(|&(running, running_phase, _)| (running, running_phase) != (module, phase));
    }

    /// Module `module`'s health check answered `health` at `at`; returns what the check
    /// before it found, if there was one.
    pub(crate) fn record_check(
        &mut self,
        module: u32,
        health: Health,
        at: Instant,
    ) -> Option<Health> {
        let record = self.modules.get_mut(module as usize)?;
        record
            .check
            .replace(Box::new((health, at)))
            .map(|previous| previous.0)
    }

    /// Whether module `module`'s last health check found it down.
    pub(crate) fn is_down(&self, module: usize) -> bool {
        self.modules
            .get(module)
            .and_then(|record| record.check.as_deref())
            .is_some_and(|(health, _)| health.is_down())
    }

    /// The public report: `names` gives each module's name and current state, `deps` each
    /// module's dependencies by position (when known).
    pub(crate) fn to_report(
        &self,
        names: impl Iterator<Item = (&'static str, ModuleState)>,
        deps: Option<&[Box<[u32]>]>,
    ) -> RuntimeReport {
        let now = Instant::now();
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
                readiness: record.readiness,
                last_check: record.check.as_deref().map(|(health, at)| CheckReport {
                    health: health.clone(),
                    age: now.saturating_duration_since(*at),
                }),
                degraded_by: Vec::new(),
                hook_in_progress: None,
                tasks: 0,
                restarts: record.restarts,
                last_failure: record.last_failure.as_deref().map(str::to_owned),
            })
            .collect();
        for record in &self.hooks {
            if let Some(module) = modules.get_mut(record.module as usize) {
                module.hooks.push(record.report());
            }
        }
        for &(module, phase, began) in &self.in_progress {
            if let Some(module) = modules.get_mut(module as usize) {
                module.hook_in_progress = Some(HookInProgress {
                    phase,
                    running_for: now.saturating_duration_since(began),
                });
            }
        }
        if let Some(deps) = deps {
            mark_degraded_by_dependencies(&mut modules, deps);
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

/// A module whose dependency is failed, down or itself degraded by one (transitively) is
/// degraded (if it was ready), and says which dependency and why.
///
/// `deps` is in start order (a module's dependencies come before it), so one pass carries
/// the trouble along every chain.
fn mark_degraded_by_dependencies(modules: &mut [ModuleReport], deps: &[Box<[u32]>]) {
    // Why each module is a problem for its dependents, if it is.
    let mut trouble: Vec<Option<String>> = vec![None; modules.len()];
    for (m, module_deps) in deps.iter().enumerate().take(modules.len()) {
        let degraded_by: Vec<String> = module_deps
            .iter()
            .filter_map(|&dep| trouble.get(dep as usize)?.clone())
            .collect();
        let module = &mut modules[m];
        trouble[m] = if module.state == ModuleState::Failed {
            Some(format!("`{}` is failed", module.name))
        } else if let Some(CheckReport {
            health: Health::Down(reason),
            ..
        }) = &module.last_check
        {
            Some(format!("`{}` is down: {reason}", module.name))
        } else if let Some(first) = degraded_by.first() {
            Some(format!("`{}` is degraded: {first}", module.name))
        } else {
            None
        };
        if !degraded_by.is_empty() && module.state == ModuleState::Ready {
            module.state = ModuleState::Degraded;
        }
        module.degraded_by = degraded_by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degradation_follows_the_chain_of_dependents() {
        let state = ReportState::for_modules(4);
        let names = [
            ("db", ModuleState::Failed),
            ("users", ModuleState::Ready),
            ("api", ModuleState::Ready),
            ("clock", ModuleState::Ready),
        ];
        // users -> db, api -> users, clock alone.
        let deps: Vec<Box<[u32]>> = vec![Box::new([]), Box::new([0]), Box::new([1]), Box::new([])];
        let report = state.to_report(names.into_iter(), Some(&deps));
        let module = |name: &str| report.module(name).unwrap();
        assert_eq!(module("users").state, ModuleState::Degraded);
        assert_eq!(module("users").degraded_by, ["`db` is failed"]);
        assert_eq!(module("api").state, ModuleState::Degraded);
        assert_eq!(
            module("api").degraded_by,
            ["`users` is degraded: `db` is failed"]
        );
        assert_eq!(module("clock").state, ModuleState::Ready);
        assert!(module("clock").degraded_by.is_empty());
    }

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
        let report = state.to_report(names.into_iter(), None);
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
        let report = state.to_report([("a", ModuleState::Stopped)].into_iter(), None);
        assert_eq!(report.modules[0].startup_time(), Duration::from_millis(5));
    }

    #[test]
    fn a_ready_module_whose_dependency_is_down_or_failed_is_degraded() {
        let mut state = ReportState::for_modules(4);
        let now = Instant::now();
        state.record_check(0, Health::Down("no disk".to_owned()), now);
        let names = [
            ("store", ModuleState::Ready),
            ("broken", ModuleState::Failed),
            ("api", ModuleState::Ready),
            ("other", ModuleState::Ready),
        ];
        let deps: Vec<Box<[u32]>> =
            vec![Box::new([]), Box::new([]), Box::new([0, 1]), Box::new([])];
        let report = state.to_report(names.into_iter(), Some(&deps));
        let api = report.module("api").unwrap();
        assert_eq!(api.state, ModuleState::Degraded);
        assert_eq!(
            api.degraded_by,
            ["`store` is down: no disk", "`broken` is failed"]
        );
        assert_eq!(report.module("other").unwrap().state, ModuleState::Ready);
        let unready: Vec<_> = report
            .unready_modules()
            .into_iter()
            .map(|unready| (unready.module, unready.reason))
            .collect();
        assert_eq!(
            unready,
            [
                ("store".to_owned(), "down: no disk".to_owned()),
                ("broken".to_owned(), "failed".to_owned())
            ]
        );
    }

    #[test]
    fn an_optional_module_never_holds_readiness_back() {
        let mut state = ReportState::for_modules(1);
        state.modules[0].readiness = Readiness::Optional;
        state.record_check(0, Health::Down("flaky".to_owned()), Instant::now());
        let report = state.to_report([("extra", ModuleState::Failed)].into_iter(), None);
        assert!(report.unready_modules().is_empty());
        assert_eq!(
            report.modules[0]
                .last_check
                .as_ref()
                .map(|c| c.health.as_str()),
            Some("down")
        );
    }

    #[test]
    fn a_running_hook_shows_until_it_ends() {
        let mut state = ReportState::for_modules(2);
        state.hook_running(1, Phase::Init, Instant::now());
        let report = state.to_report(
            [("a", ModuleState::Starting), ("b", ModuleState::Starting)].into_iter(),
            None,
        );
        assert_eq!(report.modules[0].hook_in_progress, None);
        assert_eq!(
            report.modules[1].hook_in_progress.map(|hook| hook.phase),
            Some(Phase::Init)
        );
        state.hook_ended(1, Phase::Init);
        let report = state.to_report(
            [("a", ModuleState::Starting), ("b", ModuleState::Starting)].into_iter(),
            None,
        );
        assert_eq!(report.modules[1].hook_in_progress, None);
    }
}
