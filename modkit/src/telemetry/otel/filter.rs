//! Which spans the OpenTelemetry layer takes.
//!
//! A span is exported only inside a trace: the roots below open one (a request, a call,
//! start-up), and any other span or event is taken only within a span the layer took. So a
//! request the sampler would drop anyway (sampler at 0, or an unsampled caller) opens no
//! span at all, and what runs inside it costs the layer one lookup per span instead of a
//! span of its own.

use std::sync::OnceLock;

use tracing::level_filters::LevelFilter;
use tracing::{Metadata, Subscriber};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, Filter};
use tracing_subscriber::registry::LookupSpan;

use super::SamplerConfig;

/// The spans that may start a trace.
const ROOTS: [&str; 5] = [
    "http.server",
    "grpc.server",
    "grpc.client",
    "modkit.startup",
    "modkit.shutdown",
];

/// The installed layer's sampler, for `worth_a_span`.
pub(super) static SAMPLER: OnceLock<SamplerConfig> = OnceLock::new();

pub(super) fn remember(sampler: SamplerConfig) {
    let _ = SAMPLER.set(sampler);
}

/// The layer's filter: modkit's spans from `DEBUG` up and others from `INFO` up, each
/// only within a trace (see the module's documentation).
pub(super) struct InTrace {
    levels: Targets,
}

impl InTrace {
    pub(super) fn new() -> Self {
        Self {
            levels: Targets::new()
                .with_default(LevelFilter::INFO)
                .with_target("modkit", LevelFilter::DEBUG),
        }
    }
}

impl<S> Filter<S> for InTrace
where
    S: Subscriber + for<'span> LookupSpan<'span>,
{
    fn enabled(&self, metadata: &Metadata<'_>, cx: &Context<'_, S>) -> bool {
        if !self
            .levels
            .would_enable(metadata.target(), metadata.level())
        {
            return false;
        }
        // The context holds only the spans this filter let through.
        (metadata.is_span() && ROOTS.contains(&metadata.name())) || cx.lookup_current().is_some()
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::DEBUG)
    }
}
