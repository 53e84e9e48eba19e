//! The notes service: `cargo run` serves it on http://127.0.0.1:8080.

// The modules are found at start-up because the library is linked; nothing in it is named.
use notes_service as _;

fn main() -> std::process::ExitCode {
    modkit::bootstrap::run_server()
}
