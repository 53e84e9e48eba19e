use std::fmt;

use crate::base::{ModuleHandle, ModuleState};

/// An out-of-process module's state in the host's runtime report, as its backend sees it.
///
/// The runtime hands one to [`OopBackend::spawn`](super::OopBackend::spawn); a module the
/// host's registry does not know gets a detached one, whose state nobody else reads.
#[derive(Clone)]
pub struct OopModuleStatus {
    handle: ModuleHandle,
}

impl OopModuleStatus {
    pub(crate) fn of(handle: ModuleHandle) -> Self {
        Self { handle }
    }

    /// A status outside any runtime, for a backend used on its own.
    ///
    /// ```
    /// use modkit::oop::OopModuleStatus;
    /// use modkit::runtime::ModuleState;
    ///
    /// let status = OopModuleStatus::detached("calculator");
    /// status.running();
    /// assert_eq!(status.state(), ModuleState::Ready);
    /// status.restarting();
    /// assert_eq!(status.state(), ModuleState::Degraded);
    /// status.failed();
    /// status.running();
    /// assert_eq!(status.state(), ModuleState::Failed);
    /// ```
    pub fn detached(module: &'static str) -> Self {
        Self::of(ModuleHandle::detached(module, None))
    }

    /// The module's name.
    pub fn module(&self) -> &'static str {
        self.handle.name()
    }

    /// The module's current state.
    pub fn state(&self) -> ModuleState {
        self.handle.state()
    }

    /// The child is up: the module is ready again, unless it failed or is stopping.
    pub fn running(&self) {
        self.handle.transition(
            &[ModuleState::Starting, ModuleState::Degraded],
            ModuleState::Ready,
        );
    }

    /// The child died and is being restarted: the module is degraded meanwhile.
    pub fn restarting(&self) {
        self.handle.restarted();
        self.handle.transition(
            &[ModuleState::Starting, ModuleState::Ready],
            ModuleState::Degraded,
        );
    }

    /// The child runs but is missing from the directory (its registration expired: its
    /// heartbeats stopped): the module is degraded until it is back or restarted.
    pub fn unresponsive(&self) {
        self.handle.transition(
            &[ModuleState::Starting, ModuleState::Ready],
            ModuleState::Degraded,
        );
    }

    /// Supervision gave up on the child for `reason`: the module is failed (unless it is
    /// already stopping), and the runtime report and `/readyz` give the reason.
    pub fn failed_because(&self, reason: &str) {
        self.failed();
        self.handle.record_failure(reason.to_owned());
    }

    /// Supervision gave up on the child: the module is failed, unless it is already stopping.
    pub fn failed(&self) {
        self.handle.transition(
            &[
                ModuleState::Starting,
                ModuleState::Ready,
                ModuleState::Degraded,
            ],
            ModuleState::Failed,
        );
    }

    /// The child ended on its own accord with success (restart policy `on_failure` does not
    /// restart it): the module is stopped.
    pub fn exited(&self) {
        self.handle.transition(
            &[
                ModuleState::Starting,
                ModuleState::Ready,
                ModuleState::Degraded,
            ],
            ModuleState::Stopped,
        );
    }
}

impl fmt::Debug for OopModuleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OopModuleStatus")
            .field("module", &self.module())
            .field("state", &self.state())
            .finish()
    }
}
