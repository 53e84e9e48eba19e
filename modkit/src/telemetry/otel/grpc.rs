//! The span of each gRPC request a modkit server (the hub, a child) serves.

use super::{set_parent_from, trace_id_of, worth_a_span};

/// The server span of `request`: `rpc.service` and `rpc.method` from its path, its parent
/// from the `traceparent` in its metadata. Given to tonic's `Server::trace_fn`.
pub(crate) fn grpc_server_span(request: &http::Request<()>) -> tracing::Span {
    if !worth_a_span(request.headers()) {
        return tracing::Span::none();
    }
    let path = request.uri().path();
    let (service, method) = path
        .trim_start_matches('/')
        .split_once('/')
        .unwrap_or((path, ""));
    let span = tracing::info_span!(
        "grpc.server",
        otel.name = %path.trim_start_matches('/'),
        otel.kind = "server",
        rpc.system = "grpc",
        rpc.service = service,
        rpc.method = method,
        trace_id = tracing::field::Empty,
    );
    set_parent_from(&span, request.headers());
    span.record("trace_id", trace_id_of(&span));
    span
}
