//! The child's log lines (to stderr, which the host forwards) and, when the host's
//! `telemetry.tracing` turns it on, its span exporter.

use super::OopBootstrapError;
use super::setup::ChildSetup;

/// Flushes the child's last spans when dropped (nothing to do with tracing off).
pub(super) struct Flush {
    #[cfg(feature = "otel")]
    guard: Option<crate::telemetry::otel::TracingGuard>,
}

impl Drop for Flush {
    fn drop(&mut self) {
        #[cfg(feature = "otel")]
        if let Some(guard) = self.guard.take() {
            guard.shutdown();
        }
    }
}

/// Sets up the child's logging, within its async runtime.
pub(super) fn init(setup: &ChildSetup) -> Result<Flush, OopBootstrapError> {
    let telemetry = setup.secrets.telemetry.clone().unwrap_or_default();
    let settings =
        crate::telemetry::otel::TracingConfig::enabled_in(&telemetry).map_err(|error| {
            OopBootstrapError::InvalidVariable {
                variable: crate::oop::protocol::SECRET_FILE_ENV,
                reason: error.to_string(),
            }
        })?;
    #[cfg(feature = "otel")]
    if let Some(settings) = settings {
        return with_tracing(setup, &settings);
    }
    // The host adds the time and the module's name to every line.
    let _already_set = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        // Once the host is gone stderr is a broken pipe; complaining about it on stderr
        // would panic.
        .log_internal_errors(false)
        .try_init();
    #[cfg(not(feature = "otel"))]
    if settings.is_some() {
        tracing::warn!(
            "{}; this child exports no spans",
            crate::telemetry::otel::TelemetryError::NotBuiltIn
        );
    }
    Ok(Flush {
        #[cfg(feature = "otel")]
        guard: None,
    })
}

fn filter() -> tracing_subscriber::EnvFilter {
    tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
}

#[cfg(feature = "otel")]
fn with_tracing(
    setup: &ChildSetup,
    settings: &crate::telemetry::otel::TracingConfig,
) -> Result<Flush, OopBootstrapError> {
    use tracing_subscriber::Layer;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let module = &setup.config.module;
    let attributes = vec![opentelemetry::KeyValue::new(
        "modkit.module",
        module.clone(),
    )];
    // A configured name is the host's: the child reports `<name>-<module>`; without one,
    // each process reports its own binary's name.
    let mut settings = settings.clone();
    if let Some(name) = &settings.service_name {
        settings.service_name = Some(format!("{name}-{module}"));
    }
    let (otel, guard) =
        crate::telemetry::otel::otel_layer(&settings, attributes).map_err(|error| {
            OopBootstrapError::InvalidVariable {
                variable: crate::oop::protocol::SECRET_FILE_ENV,
                reason: error.to_string(),
            }
        })?;
    let lines = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        .log_internal_errors(false)
        .with_filter(filter());
    let installed = tracing_subscriber::registry()
        .with(vec![otel.boxed(), lines.boxed()])
        .try_init()
        .is_ok();
    Ok(Flush {
        guard: installed.then_some(guard),
    })
}
