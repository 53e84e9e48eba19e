//! A whole host for the cluster tests: every example module (as in `demo-host`), run by
//! `run_server` with the test's `--config FILE`; `cluster-host oop-child` is the
//! calculator's child process.

use modkit_examples as _;

fn main() -> std::process::ExitCode {
    modkit::bootstrap::run_server()
}
