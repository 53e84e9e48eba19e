//! The demo host: every example module, run until Ctrl-C or SIGTERM.
//!
//! Run with: cargo run -p modkit-examples --bin demo-host
//!
//! Try `-- check`, `-- graph --format mermaid` or `-- config`; `--config FILE` replaces the
//! bundled `config/demo.yaml`, and `MODKIT__...` variables override single keys.

use std::process::ExitCode;

// Linking the crate is what registers its modules.
use modkit_examples as _;

fn main() -> ExitCode {
    modkit::bootstrap::Server::new()
        .bundled_config(include_str!("../../config/demo.yaml"))
        .run()
}
