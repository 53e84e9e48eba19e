//! The leaf of the kernel: the names every other part speaks in, and nothing that depends on
//! them. A module is a [`ModuleId`] once the registry has ordered it; a host walks it through
//! [`Phase`]s; features keep their own values on kernel objects in [`Extensions`].
//!
//! Nothing here imports another part of modkit, so the registry, the runtime, the contexts
//! and the feature folders can all use it without importing each other.

mod extensions;
mod health;
mod hook_failure;
mod module_handle;
mod module_id;
mod module_state;
mod owned_tasks;
mod phase;

pub use extensions::Extensions;
pub use health::Health;
pub(crate) use hook_failure::{HookFailure, panic_message};
pub use hook_failure::{HookPanicked, HookTimedOut};
pub(crate) use module_handle::{ModuleHandle, ModuleTable};
pub use module_id::ModuleId;
pub use module_state::ModuleState;
pub use phase::Phase;
