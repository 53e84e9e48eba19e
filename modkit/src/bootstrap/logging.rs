//! Tracing set up from the `logging` section and `RUST_LOG`, with OpenTelemetry export when
//! `telemetry.tracing` turns it on.

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
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter(config))
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    // `try_init` fails only when a subscriber is already set; keeping that one is intended.
    let _already_set = match config.format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// `RUST_LOG` when set, else `logging.level`.
fn filter(config: &LoggingConfig) -> EnvFilter {
    EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&config.level))
        .unwrap_or_else(|error| {
            eprintln!(
                "invalid `logging.level` `{}`: {error}; using `info`",
                config.level
            );
            EnvFilter::new("info")
        })
}

/// [`init_logging`] with spans exported as `tracing` says: the log lines as before (each
/// written within a request's span carries its `trace_id`), and beside them the
/// OpenTelemetry layer. The guard flushes the last spans at the end; `None` when a
/// subscriber was already installed (then nothing is exported).
///
/// Must be called within a tokio runtime (the exporter runs on it).
#[cfg(feature = "otel")]
pub fn init_logging_with_tracing(
    config: &LoggingConfig,
    tracing: &crate::telemetry::otel::TracingConfig,
    attributes: Vec<opentelemetry::KeyValue>,
) -> Result<Option<crate::telemetry::otel::TracingGuard>, crate::telemetry::otel::TelemetryError> {
    use tracing_subscriber::Layer;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    if tracing::dispatcher::has_been_set() {
        return Ok(None);
    }
    let (otel, guard) = crate::telemetry::otel::otel_layer(tracing, attributes)?;
    let lines = tracing_subscriber::fmt::layer()
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let lines = match config.format {
        LogFormat::Human => lines.with_filter(filter(config)).boxed(),
        LogFormat::Json => lines.json().with_filter(filter(config)).boxed(),
    };
    match tracing_subscriber::registry()
        .with(vec![otel.boxed(), lines])
        .try_init()
    {
        Ok(()) => Ok(Some(guard)),
        Err(_already_set) => Ok(None),
    }
}
