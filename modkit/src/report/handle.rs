use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::watch;

use super::state::ReportState;
use super::{HostState, RuntimeReport};
use crate::base::{ModuleState, ModuleTable};

/// A live view of a [`HostRuntime`](crate::HostRuntime)'s report, for health endpoints and
/// tests. Cheap to clone.
///
/// Take it with [`HostRuntime::report`](crate::HostRuntime::report) before running the host.
#[derive(Clone)]
pub struct RuntimeReportHandle {
    shared: Arc<Shared>,
}

struct Shared {
    report: Mutex<ReportState>,
    modules: OnceLock<Arc<ModuleTable>>,
    /// Each module's dependencies by position: a module whose dependency is failed or down
    /// is reported degraded.
    deps: OnceLock<Arc<[Box<[u32]>]>>,
    host_state: watch::Sender<HostState>,
}

impl Default for RuntimeReportHandle {
    fn default() -> Self {
        Self {
            shared: Arc::new(Shared {
                report: Mutex::new(ReportState::default()),
                modules: OnceLock::new(),
                deps: OnceLock::new(),
                host_state: watch::Sender::new(HostState::Starting),
            }),
        }
    }
}

impl RuntimeReportHandle {
    /// The report as of now, with every module's current state (a ready module whose
    /// dependency is failed or down shows as degraded), its last health check and its hook
    /// in progress.
    pub fn snapshot(&self) -> RuntimeReport {
        let deps = self.shared.deps.get().map(|deps| &**deps);
        let mut report = match self.shared.modules.get() {
            Some(modules) => {
                let mut report = self.lock().to_report(modules.states(), deps);
                for (module, (tasks, restarts)) in report.modules.iter_mut().zip(modules.activity())
                {
                    module.tasks = tasks;
                    // The runtime's restarts (in-process) and the child's (out of process).
                    module.restarts += restarts;
                }
                report
            }
            None => self.lock().to_report(std::iter::empty(), None),
        };
        report.host_state = self.host_state();
        report
    }

    /// The host's state.
    pub fn host_state(&self) -> HostState {
        *self.shared.host_state.borrow()
    }

    /// Whether start-up has finished and stopping has not begun.
    pub fn is_ready(&self) -> bool {
        self.host_state() == HostState::Ready
    }

    /// Module `name`'s current state.
    pub fn module_state(&self, name: &str) -> Option<ModuleState> {
        self.shared
            .modules
            .get()?
            .states()
            .find(|&(module, _)| module == name)
            .map(|(_, state)| state)
    }

    /// Whether module `name` serves: its state is ready or degraded and its last health
    /// check (if any) did not find it down. `None` for a module the report does not know.
    pub fn module_serving(&self, name: &str) -> Option<bool> {
        let modules = self.shared.modules.get()?;
        let (index, state) = modules
            .states()
            .enumerate()
            .find(|(_, (module, _))| *module == name)
            .map(|(index, (_, state))| (index, state))?;
        Some(state.is_serving() && !self.lock().is_down(index))
    }

    /// Whether module `name`'s last health check found it down (`false` for a module the
    /// report does not know or that has no check).
    pub fn module_down(&self, name: &str) -> bool {
        let Some(modules) = self.shared.modules.get() else {
            return false;
        };
        modules
            .states()
            .position(|(module, _)| module == name)
            .is_some_and(|index| self.lock().is_down(index))
    }

    /// Waits until start-up ends: `true` once the host is ready, `false` if start-up failed
    /// or the host stopped first.
    pub async fn wait_ready(&self) -> bool {
        let mut states = self.shared.host_state.subscribe();
        let reached = states
            .wait_for(|state| *state != HostState::Starting)
            .await
            .map(|state| *state);
        matches!(reached, Ok(HostState::Ready))
    }

    /// Waits until the host has stopped or failed.
    pub async fn wait_stopped(&self) {
        let mut states = self.shared.host_state.subscribe();
        let _ = states
            .wait_for(|state| matches!(state, HostState::Stopped | HostState::Failed))
            .await;
    }

    pub(crate) fn set_host_state(&self, state: HostState) {
        self.shared.host_state.send_replace(state);
    }

    pub(crate) fn attach_modules(&self, modules: Arc<ModuleTable>, deps: Arc<[Box<[u32]>]>) {
        *self.lock() = ReportState::for_modules(modules.len());
        let _ = self.shared.modules.set(modules);
        let _ = self.shared.deps.set(deps);
    }

    /// Edits the report under its lock.
    pub(crate) fn update<R>(&self, edit: impl FnOnce(&mut ReportState) -> R) -> R {
        edit(&mut self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ReportState> {
        // Edits are plain field writes; a panic mid-edit leaves a usable report.
        self.shared
            .report
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for RuntimeReportHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuntimeReportHandle")
            .field("host_state", &self.host_state())
            .finish_non_exhaustive()
    }
}
