use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::watch;

use super::{HostState, RuntimeReport};
use crate::runtime::{ModuleHandle, ModuleState};

/// A live view of a [`HostRuntime`](crate::HostRuntime)'s report, for health endpoints and
/// tests. Cheap to clone.
///
/// Take it with [`HostRuntime::report`](crate::HostRuntime::report) before running the host.
#[derive(Clone)]
pub struct RuntimeReportHandle {
    shared: Arc<Shared>,
}

struct Shared {
    report: Mutex<RuntimeReport>,
    modules: OnceLock<Vec<Arc<ModuleHandle>>>,
    host_state: watch::Sender<HostState>,
}

impl Default for RuntimeReportHandle {
    fn default() -> Self {
        Self {
            shared: Arc::new(Shared {
                report: Mutex::new(RuntimeReport::default()),
                modules: OnceLock::new(),
                host_state: watch::Sender::new(HostState::Starting),
            }),
        }
    }
}

impl RuntimeReportHandle {
    /// The report as of now, with every module's current state.
    pub fn snapshot(&self) -> RuntimeReport {
        let mut report = self.lock().clone();
        report.host_state = self.host_state();
        if let Some(modules) = self.shared.modules.get() {
            for (entry, handle) in report.modules.iter_mut().zip(modules) {
                entry.state = handle.state();
            }
        }
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
            .iter()
            .find(|handle| handle.name() == name)
            .map(|handle| handle.state())
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

    pub(crate) fn attach_modules(&self, modules: Vec<Arc<ModuleHandle>>) {
        let mut report = self.lock();
        report.modules = modules
            .iter()
            .map(|handle| super::ModuleReport {
                name: handle.name().to_owned(),
                state: handle.state(),
                hooks: Vec::new(),
                leaked_tasks: Vec::new(),
                unused_deps: Vec::new(),
            })
            .collect();
        let _ = self.shared.modules.set(modules);
    }

    /// Edits the report under its lock.
    pub(crate) fn update<R>(&self, edit: impl FnOnce(&mut RuntimeReport) -> R) -> R {
        edit(&mut self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, RuntimeReport> {
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
