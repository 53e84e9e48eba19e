//! Discovery: the modules linked into a binary, found with no manual registration and run
//! by `modkit::runtime::run`.
//!
//! These tests see every `#[modkit::module]` linked into this binary (this crate's, the
//! `modkit_tests` library's, the examples' and modkit's own), so a module declared here is
//! started by `runtime::run` too: declare one only if that test is meant to run it.

mod discovery_across_crates;
mod runtime_run_drives_linked_modules_until_shutdown;
