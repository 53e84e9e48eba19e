//! The kernel's spans: start-up, each phase, each module's hook, shutdown.
//!
//! Plain `tracing` spans at `DEBUG`: with no layer that wants them (tracing off, the
//! default log level) each costs one cached callsite check. With tracing on, the
//! OpenTelemetry layer exports them, so a trace shows where start-up spent its time.

use tracing::Span;

use crate::base::Phase;

/// The whole start-up.
pub(super) fn startup() -> Span {
    tracing::debug_span!("modkit.startup")
}

/// One start-up phase.
pub(super) fn phase(phase: Phase) -> Span {
    tracing::debug_span!(
        "modkit.phase",
        otel.name = phase.as_str(),
        phase = phase.as_str()
    )
}

/// One module's hook in `phase`.
pub(super) fn hook(phase: Phase, module: &str) -> Span {
    tracing::debug_span!(
        "modkit.hook",
        otel.name = %format_args!("{} {module}", phase.as_str()),
        phase = phase.as_str(),
        module,
    )
}

/// The whole shutdown.
pub(super) fn shutdown() -> Span {
    tracing::debug_span!("modkit.shutdown")
}
