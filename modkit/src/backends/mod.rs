//! Backends that run out-of-process modules: [`LocalProcessBackend`] runs each as a child
//! process of the host.

mod local_process;

pub use local_process::{ChildState, LocalProcessBackend, LocalProcessOptions};
