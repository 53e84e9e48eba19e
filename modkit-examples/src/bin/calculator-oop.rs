//! The `calculator` module's child process: what the demo host spawns when
//! `modules.calculator.runtime.type` is `oop`.
//!
//! Not meant to be started by hand: it reads what the host hands it (its config, the
//! directory's endpoint and a private secret file) and ends when the host does.

// Linking the crate registers the calculator; `run_oop` runs only the configured module
// and what it depends on.
use modkit_examples as _;

fn main() -> std::process::ExitCode {
    match modkit::bootstrap::run_oop() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
