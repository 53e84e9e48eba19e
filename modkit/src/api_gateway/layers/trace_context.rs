//! The server span of each request, when tracing is on: its parent is the caller's W3C
//! `traceparent` (and `tracestate`), its attributes the HTTP semantic conventions.
//!
//! Installed only when `telemetry.tracing` is on; without it no request pays for it.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use pin_project_lite::pin_project;
use tower::{Layer, Service};

use crate::telemetry::otel::{set_parent_from, trace_id_of, worth_a_span};

/// Wraps a route in [`TraceContextService`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct TraceContextLayer;

impl<S> Layer<S> for TraceContextLayer {
    type Service = TraceContextService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        TraceContextService { inner }
    }
}

/// One route with a server span per request.
#[derive(Debug, Clone)]
pub(crate) struct TraceContextService<S> {
    inner: S,
}

impl<S> Service<Request> for TraceContextService<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = TracedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // A request the sampler would drop anyway (a ratio of 0, an unsampled caller)
        // costs no span.
        if !worth_a_span(request.headers()) {
            return TracedFuture {
                future: self.inner.call(request),
                span: tracing::Span::none(),
            };
        }
        let method = request.method().as_str();
        // The route's template (`/v1/users/{id}`), never the path with its values.
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or("", MatchedPath::as_str);
        let span = tracing::info_span!(
            "http.server",
            otel.name = %format_args!("{method} {route}"),
            otel.kind = "server",
            http.request.method = method,
            http.route = route,
            url.path = request.uri().path(),
            http.response.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            trace_id = tracing::field::Empty,
        );
        set_parent_from(&span, request.headers());
        span.record("trace_id", trace_id_of(&span));
        let future = span.in_scope(|| self.inner.call(request));
        TracedFuture { future, span }
    }
}

pin_project! {
    /// The route's answer, polled within the request's span, which records its status.
    #[must_use = "futures do nothing unless polled"]
    pub(crate) struct TracedFuture<F> {
        #[pin]
        future: F,
        span: tracing::Span,
    }
}

impl<F> Future for TracedFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _entered = this.span.enter();
        let Ok(response) = ready!(this.future.poll(cx));
        let status = response.status();
        this.span
            .record("http.response.status_code", status.as_u16());
        if status.is_server_error() {
            this.span.record("otel.status_code", "ERROR");
        }
        Poll::Ready(Ok(response))
    }
}
