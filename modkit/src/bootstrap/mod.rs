//! Whole `main`s: [`run_oop`] for the child process of an out-of-process module.

#[cfg(feature = "oop")]
mod oop;

#[cfg(feature = "oop")]
pub use oop::{
    NoDirectory, OopBootstrapError, OopDirectory, OopRunOptions, ServiceRegistration, run_oop,
    run_oop_with,
};
