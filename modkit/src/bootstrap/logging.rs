//! Tracing set up from the `logging` section and `RUST_LOG`.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use super::{LogFormat, LoggingConfig};

/// Installs the global tracing subscriber: `RUST_LOG` when set, else `logging.level`;
/// human-readable lines or JSON objects as `logging.format` says. Human lines are coloured
/// only when stderr is a terminal, so redirected logs hold no escape codes.
///
/// Does nothing when a subscriber is already installed (a test harness, or a host that
/// set up its own), so calling it twice is harmless.
pub fn init_logging(config: &LoggingConfig) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&config.level))
        .unwrap_or_else(|error| {
            eprintln!(
                "invalid `logging.level` `{}`: {error}; using `info`",
                config.level
            );
            EnvFilter::new("info")
        });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    // `try_init` fails only when a subscriber is already set; keeping that one is intended.
    let _already_set = match config.format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
