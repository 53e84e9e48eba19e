//! Which spans the OpenTelemetry layer takes, and whether a request is worth a span.
//!
//! A span is exported only inside a trace: the roots below open one (a request, a call,
//! start-up), and any other span or event is taken only within a span the layer took. So a
//! request the sampler would drop anyway (sampler at 0, or an unsampled caller) opens no
//! span at all, and what runs inside it costs the layer one lookup per span instead of a
//! span of its own.

use std::sync::OnceLock;

use http::HeaderMap;
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

/// The installed layer's sampler, for [`worth_a_span`].
static SAMPLER: OnceLock<SamplerConfig> = OnceLock::new();

pub(super) fn remember(sampler: SamplerConfig) {
    let _ = SAMPLER.set(sampler);
}

/// Whether a request with `headers` can be sampled: false when the sampler would drop its
/// trace whatever its id (a ratio of 0, or a caller's `traceparent` saying "not sampled"
/// to a parent-based sampler), so that it costs no span.
pub(crate) fn worth_a_span(headers: &HeaderMap) -> bool {
    let Some(sampler) = SAMPLER.get() else {
        return false;
    };
    if sampler.parent_based {
        if let Some(sampled) = caller_sampled(headers) {
            return sampled;
        }
    }
    sampler.ratio > 0.0
}

/// The sampled flag of a well-formed `traceparent` (`00-<trace>-<span>-<flags>`).
fn caller_sampled(headers: &HeaderMap) -> Option<bool> {
    let value = headers.get("traceparent")?.to_str().ok()?;
    let mut parts = value.trim().split('-');
    let (_version, trace, span, flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if trace.len() != 32 || span.len() != 16 || flags.len() != 2 {
        return None;
    }
    let flags = u8::from_str_radix(flags, 16).ok()?;
    Some(flags & 1 == 1)
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

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn the_callers_flag_is_read_from_a_well_formed_traceparent() {
        let mut headers = HeaderMap::new();
        assert_eq!(caller_sampled(&headers), None);
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert("traceparent", HeaderValue::from_static(value));
            caller_sampled(&headers)
        };
        assert_eq!(
            with("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            Some(true)
        );
        assert_eq!(
            with("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"),
            Some(false)
        );
        assert_eq!(with("00-4bf92f-00f067aa0ba902b7-01"), None);
        headers.insert("traceparent", HeaderValue::from_static("garbage"));
        assert_eq!(caller_sampled(&headers), None);
    }
}
