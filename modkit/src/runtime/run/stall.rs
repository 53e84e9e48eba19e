//! No silent stalls: the report shows each hook that did not finish at once while it runs,
//! and a hook still running after `runtime.stall_warning` is logged with the modules
//! already done, again at every interval until it ends.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use super::Run;
use crate::base::{ModuleId, Phase};
use crate::runtime::hook::{HookObserver, HookWatch};

/// The most modules a stall warning names; past that it counts the rest.
const NAMED: usize = 20;

/// Each module's last phase whose hook finished, as `phase as u8 + 1` (0: none yet), so
/// that a stall warning can say which modules are done without the phase keeping a list.
/// One store per hook, and no lock.
pub(super) struct Finished(Box<[AtomicU8]>);

impl Finished {
    pub(super) fn new(modules: usize) -> Self {
        Self((0..modules).map(|_| AtomicU8::new(0)).collect())
    }

    fn mark(&self, module: u32, phase: Phase) {
        if let Some(cell) = self.0.get(module as usize) {
            cell.store(phase as u8 + 1, Ordering::Relaxed);
        }
    }

    fn finished_in(&self, module: usize, phase: Phase) -> bool {
        self.0[module].load(Ordering::Relaxed) == phase as u8 + 1
    }
}

impl Run {
    /// The watch a hook of module `m` in `phase` runs under.
    pub(super) fn watch(&self, m: ModuleId, phase: Phase) -> HookWatch<'_> {
        HookWatch {
            observer: self,
            module: m.raw(),
            phase,
            stall_warning: self.options.stall_warning,
        }
    }

    /// The modules whose hook in `phase` has finished, by name: at most [`NAMED`] of them
    /// and a count of the rest.
    fn done_in(&self, phase: Phase) -> String {
        let done: Vec<&str> = (0..self.modules.len())
            .filter(|&m| self.finished.finished_in(m, phase))
            .map(|m| self.registry.modules()[m].name())
            .collect();
        if done.is_empty() {
            return "none".to_owned();
        }
        let mut text = done
            .iter()
            .take(NAMED)
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if done.len() > NAMED {
            text.push_str(&format!(" and {} more", done.len() - NAMED));
        }
        text
    }
}

impl HookObserver for Run {
    fn running(&self, module: u32, phase: Phase, began: Instant) {
        self.report
            .update(|report| report.hook_running(module, phase, began));
    }

    fn stalled(&self, module: u32, phase: Phase, running_for: Duration) {
        let name = self.name(ModuleId::from_raw(module));
        let done = self.done_in(phase);
        tracing::warn!(
            module = name,
            hook = phase.as_str(),
            running_for = ?running_for,
            "`{name}`'s {phase} hook is still running after {running_for:.1?}; done with {phase} so far: {done}"
        );
    }

    fn ended(&self, module: u32, phase: Phase) {
        self.report
            .update(|report| report.hook_ended(module, phase));
    }

    fn finished(&self, module: u32, phase: Phase) {
        self.finished.mark(module, phase);
    }
}
