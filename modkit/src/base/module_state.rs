use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

use serde::Serialize;

/// Where a module is in its life; drives readiness reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModuleState {
    /// Start-up has not finished for this module.
    Starting,
    /// Started (or, for a module without `start`, initialised) and serving.
    Ready,
    /// Serving, but a part of it reported trouble.
    Degraded,
    /// Its stop has begun.
    Stopping,
    /// Stopped cleanly.
    Stopped,
    /// A hook failed, or its task died after start-up.
    Failed,
}

impl ModuleState {
    pub(crate) const ALL: [Self; 6] = [
        Self::Starting,
        Self::Ready,
        Self::Degraded,
        Self::Stopping,
        Self::Stopped,
        Self::Failed,
    ];

    /// The lowercase name used in logs and health documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Starting => "starting",
            Self::Ready => "ready",
            Self::Degraded => "degraded",
            Self::Stopping => "stopping",
            Self::Stopped => "stopped",
            Self::Failed => "failed",
        }
    }

    /// Whether a module in this state counts towards the host being ready.
    pub fn is_serving(self) -> bool {
        matches!(self, Self::Ready | Self::Degraded)
    }
}

impl fmt::Display for ModuleState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A [`ModuleState`] shared between the runtime and the module's own tasks.
#[derive(Debug)]
pub(crate) struct StateCell(AtomicU8);

impl StateCell {
    pub(crate) fn new(state: ModuleState) -> Self {
        Self(AtomicU8::new(state as u8))
    }

    pub(crate) fn get(&self) -> ModuleState {
        ModuleState::ALL[usize::from(self.0.load(Ordering::Acquire))]
    }

    pub(crate) fn set(&self, state: ModuleState) {
        self.0.store(state as u8, Ordering::Release);
    }

    /// Moves from `Starting` to `Ready`; any other state (a task that already failed, say)
    /// is kept, so a module whose task died during start-up is never reported ready.
    pub(crate) fn become_ready(&self) {
        let _ = self.0.compare_exchange(
            ModuleState::Starting as u8,
            ModuleState::Ready as u8,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }

    /// Moves to `to` if the current state is one of `from`; otherwise keeps the state.
    pub(crate) fn transition(&self, from: &[ModuleState], to: ModuleState) {
        let _ = self
            .0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |raw| {
                from.contains(&ModuleState::ALL[usize::from(raw)])
                    .then_some(to as u8)
            });
    }

    /// Moves to `Failed` unless the module is already on its way down, where a dying task
    /// is expected rather than a fault.
    pub(crate) fn fail_if_running(&self) {
        let _ =
            self.0.fetch_update(
                Ordering::AcqRel,
                Ordering::Acquire,
                |raw| match ModuleState::ALL[usize::from(raw)] {
                    ModuleState::Stopping | ModuleState::Stopped => None,
                    _ => Some(ModuleState::Failed as u8),
                },
            );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_through_the_cell() {
        let cell = StateCell::new(ModuleState::Starting);
        for state in ModuleState::ALL {
            cell.set(state);
            assert_eq!(cell.get(), state);
        }
    }

    #[test]
    fn a_task_dying_during_stop_does_not_mark_the_module_failed() {
        let cell = StateCell::new(ModuleState::Stopping);
        cell.fail_if_running();
        assert_eq!(cell.get(), ModuleState::Stopping);
        cell.set(ModuleState::Ready);
        cell.fail_if_running();
        assert_eq!(cell.get(), ModuleState::Failed);
    }

    #[test]
    fn a_transition_applies_only_from_the_listed_states() {
        let cell = StateCell::new(ModuleState::Ready);
        cell.transition(&[ModuleState::Ready], ModuleState::Degraded);
        assert_eq!(cell.get(), ModuleState::Degraded);
        cell.set(ModuleState::Stopping);
        cell.transition(
            &[ModuleState::Ready, ModuleState::Degraded],
            ModuleState::Failed,
        );
        assert_eq!(cell.get(), ModuleState::Stopping);
    }

    #[test]
    fn a_failed_module_does_not_become_ready() {
        let cell = StateCell::new(ModuleState::Starting);
        cell.fail_if_running();
        cell.become_ready();
        assert_eq!(cell.get(), ModuleState::Failed);
        let cell = StateCell::new(ModuleState::Starting);
        cell.become_ready();
        assert_eq!(cell.get(), ModuleState::Ready);
    }
}
