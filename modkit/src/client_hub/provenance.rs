//! Which module registered each client, so that a module using a client of a module it does
//! not depend on is told to declare the dependency instead of working by luck (only when the
//! provider happens to initialise first).

use std::sync::Arc;

/// What the runtime tells the hub about the module running on the current task. The hub
/// asks only about clients a module registered, so clients registered by the host itself
/// (or in tests) cost nothing extra to look up.
pub(crate) trait DependencyGuard: Send + Sync {
    /// The module whose hook is running on this task, if any, as it registers a client
    /// (the guard may note that the module provides clients).
    fn registering(&self) -> Option<&'static str>;

    /// Whether the module running on this task (if any) may use a client registered by
    /// `provider`: itself, or a module it depends on, directly or not. `Err` names the
    /// caller.
    fn check(&self, provider: &'static str) -> Result<(), &'static str>;
}

impl<G: DependencyGuard> DependencyGuard for Arc<G> {
    fn registering(&self) -> Option<&'static str> {
        G::registering(self)
    }

    fn check(&self, provider: &'static str) -> Result<(), &'static str> {
        G::check(self, provider)
    }
}

/// The guard the hub consults; `None` outside a runtime.
pub(super) type Guard = arc_swap::ArcSwapOption<Box<dyn DependencyGuard>>;

/// The module registering a client now, if a guard knows one.
pub(super) fn registering_module(guard: &Guard) -> Option<&'static str> {
    guard.load().as_ref().and_then(|guard| guard.registering())
}

/// Checks a lookup of a client `provider` registered; `Err` names the caller.
pub(super) fn check(guard: &Guard, provider: Option<&'static str>) -> Result<(), &'static str> {
    match provider {
        None => Ok(()),
        Some(provider) => match &*guard.load() {
            Some(guard) => guard.check(provider),
            None => Ok(()),
        },
    }
}

/// Installs `guard` (the runtime does, for the host's life).
pub(super) fn install(slot: &Guard, guard: Box<dyn DependencyGuard>) {
    slot.store(Some(Arc::new(guard)));
}
