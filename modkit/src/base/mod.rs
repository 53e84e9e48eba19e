//! The leaf of the kernel: the names every other part speaks in, and nothing that depends on
//! them. A module is a [`ModuleId`] once the registry has ordered it; a host walks it through
//! [`Phase`]s; features keep their own values on kernel objects in [`Extensions`].
//!
//! Nothing here imports another part of modkit, so the registry, the runtime, the contexts
//! and the feature folders can all use it without importing each other.

mod extensions;
mod module_id;
mod phase;

pub use extensions::Extensions;
pub use module_id::ModuleId;
pub use phase::Phase;
