//! W3C trace context (`traceparent`, `tracestate`) read from HTTP headers and gRPC metadata.

use http::HeaderMap;
use http::header::HeaderName;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::TraceContextExt;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// Makes `span` the child of the trace context in `headers`, if they carry one.
pub(crate) fn set_parent_from(span: &tracing::Span, headers: &HeaderMap) {
    if headers.contains_key("traceparent") {
        let parent = TraceContextPropagator::new().extract(&Headers(headers));
        // Fails only when the span is disabled or already started: nothing to link then.
        let _ = span.set_parent(parent);
    }
}

/// The trace id of `span`, as 32 hex digits (all zeros when it has none).
pub(crate) fn trace_id_of(span: &tracing::Span) -> String {
    span.context().span().span_context().trace_id().to_string()
}

struct Headers<'h>(&'h HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|value| value.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(HeaderName::as_str).collect()
    }
}
