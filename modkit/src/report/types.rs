use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::base::{Health, HookFailure, HookPanicked, HookTimedOut};
use crate::base::{ModuleState, Phase};

/// The host as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum HostState {
    /// Start-up phases are running.
    #[default]
    Starting,
    /// Every start-up phase finished; serving until asked to stop.
    Ready,
    /// The stop phase is running.
    Stopping,
    /// Stopped after a clean start-up.
    Stopped,
    /// Start-up failed (and was rolled back).
    Failed,
}

/// How one hook or phase ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum HookOutcome {
    /// It succeeded.
    Ok,
    /// It returned an error.
    Failed {
        /// The error and its causes.
        error: String,
    },
    /// It ran past its deadline and was abandoned.
    TimedOut {
        /// The deadline.
        limit: Duration,
    },
    /// It panicked.
    Panicked {
        /// The panic message.
        message: String,
    },
    /// The host was cancelled while it ran.
    Cancelled,
}

impl HookOutcome {
    pub(crate) fn of(outcome: &Result<(), HookFailure>) -> Self {
        match outcome {
            Ok(()) => Self::Ok,
            Err(HookFailure::Cancelled) => Self::Cancelled,
            Err(HookFailure::Error(error)) => {
                if let Some(timed_out) = error.downcast_ref::<HookTimedOut>() {
                    Self::TimedOut {
                        limit: timed_out.limit,
                    }
                } else if let Some(panicked) = error.downcast_ref::<HookPanicked>() {
                    Self::Panicked {
                        message: panicked.message.clone(),
                    }
                } else {
                    Self::Failed {
                        error: format!("{error:#}"),
                    }
                }
            }
        }
    }

    /// Whether it succeeded.
    pub fn is_ok(&self) -> bool {
        matches!(self, Self::Ok)
    }
}

/// One hook of one module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookReport {
    /// The phase it ran in.
    pub phase: Phase,
    /// How long it ran.
    pub duration: Duration,
    /// How it ended.
    #[serde(flatten)]
    pub outcome: HookOutcome,
}

/// One module's part in start-up and shutdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModuleReport {
    /// The module.
    pub name: String,
    /// Its state when the report was taken.
    pub state: ModuleState,
    /// Every hook it ran, in order.
    pub hooks: Vec<HookReport>,
    /// Tasks it spawned that were still running past its stop deadline and were aborted.
    pub leaked_tasks: Vec<String>,
    /// Declared dependencies that register clients, of which this module got none through
    /// the ClientHub during start-up (a leftover `deps` entry, most likely).
    pub unused_deps: Vec<String>,
    /// Whether the host is ready only while this module is (`modules.<name>.readiness`).
    pub readiness: Readiness,
    /// Its last health check, if it has the `health` capability and was checked.
    pub last_check: Option<CheckReport>,
    /// Its dependencies that are failed or down, with why: while there are any, a ready
    /// module is reported [`ModuleState::Degraded`].
    pub degraded_by: Vec<String>,
    /// Its hook still running, during start-up or stop (only hooks that did not finish at
    /// once are tracked).
    pub hook_in_progress: Option<HookInProgress>,
    /// Tasks it owns that are running (spawned through its context).
    pub tasks: usize,
    /// How many times it was restarted: by the runtime after its task failed (supervised
    /// in-process modules: `modules.<name>.runtime.restart`), or its child (out-of-process
    /// modules).
    pub restarts: u32,
    /// What its supervisor last saw: why its task failed, or why restarting it was given
    /// up; `None` for a module that never failed after start-up.
    pub last_failure: Option<String>,
}

/// Whether a module counts towards the host's readiness: `modules.<name>.readiness`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    /// `/readyz` answers 503 while the module is failed or its health check is down (the
    /// default).
    #[default]
    Required,
    /// The module's failures show in `/healthz` but leave `/readyz` alone.
    Optional,
}

/// A module's last health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// What it found.
    #[serde(flatten)]
    pub health: Health,
    /// How long ago it answered, as of the report.
    pub age: Duration,
}

/// A hook that has not finished yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HookInProgress {
    /// The phase it runs in.
    pub phase: Phase,
    /// How long it has been running, as of the report.
    pub running_for: Duration,
}

impl ModuleReport {
    /// Time spent in start-up hooks (everything but stop).
    pub fn startup_time(&self) -> Duration {
        self.hooks
            .iter()
            .filter(|hook| hook.phase != Phase::Stop)
            .map(|hook| hook.duration)
            .sum()
    }

    /// The report of its hook in `phase`, if it ran one.
    pub fn hook(&self, phase: Phase) -> Option<&HookReport> {
        self.hooks.iter().find(|hook| hook.phase == phase)
    }

    /// Why this module holds the host back from being ready, if it does: it is required
    /// for readiness and failed, or its last check found it down.
    pub fn unready_reason(&self) -> Option<String> {
        if self.readiness == Readiness::Optional {
            return None;
        }
        if self.state == ModuleState::Failed {
            return Some(
                match (
                    self.hooks.iter().find(|hook| !hook.outcome.is_ok()),
                    &self.last_failure,
                ) {
                    (Some(hook), _) => format!("failed in its {} hook", hook.phase),
                    (None, Some(why)) => format!("failed: {why}"),
                    (None, None) => "failed".to_owned(),
                },
            );
        }
        match &self.last_check {
            Some(CheckReport {
                health: Health::Down(reason),
                ..
            }) => Some(format!("down: {reason}")),
            _ => None,
        }
    }
}

/// A module that holds the host back from being ready, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnreadyModule {
    /// The module.
    pub module: String,
    /// Why: `failed`, `down: <the check's reason>`.
    pub reason: String,
}

/// One phase as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseReport {
    /// The phase.
    pub phase: Phase,
    /// How long it ran.
    pub duration: Duration,
    /// Whether it succeeded.
    pub ok: bool,
}

/// Everything the runtime measured, as of when it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct RuntimeReport {
    /// The host's state.
    pub host_state: HostState,
    /// Phases that ran, in order.
    pub phases: Vec<PhaseReport>,
    /// Every module, in dependency order.
    pub modules: Vec<ModuleReport>,
    /// The dependency chain whose start-up hooks took longest in sum: the chain that set
    /// the start-up time. Empty until start-up ends.
    pub critical_path: Vec<String>,
    /// Wall time of start-up, once it ended.
    pub startup_duration: Option<Duration>,
}

impl RuntimeReport {
    /// The report of module `name`.
    pub fn module(&self, name: &str) -> Option<&ModuleReport> {
        self.modules.iter().find(|module| module.name == name)
    }

    /// The report of `phase`, if it ran.
    pub fn phase(&self, phase: Phase) -> Option<&PhaseReport> {
        self.phases.iter().find(|report| report.phase == phase)
    }

    /// The modules required for readiness that are failed or down, with why. The host is
    /// ready for traffic when it is [`HostState::Ready`] and this is empty.
    pub fn unready_modules(&self) -> Vec<UnreadyModule> {
        self.modules
            .iter()
            .filter_map(|module| {
                Some(UnreadyModule {
                    module: module.name.clone(),
                    reason: module.unready_reason()?,
                })
            })
            .collect()
    }
}
