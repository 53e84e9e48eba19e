//! The layer every request goes through: request id, tracing span, timeout, panic
//! catching, `nosniff`, refusing a declared body over the limit before it is read, and
//! turning every error answer into a [`Problem`].
//!
//! It is a hand-written tower service rather than `axum::middleware::from_fn`: a successful
//! request then costs no clone of the route, no boxed service and no boxed future; only an
//! error answer, which may have to read its body, allocates a future.

use std::any::Any;
use std::convert::Infallible;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, CatchUnwind};
use pin_project_lite::pin_project;
use tokio::time::Timeout;
use tower::{Layer, Service};

use super::error_answer::as_problem;
use super::request_id::{REQUEST_ID, RequestId, RequestIds};
use crate::rest::Problem;

/// What the layer needs, shared by every request.
#[derive(Debug)]
pub(crate) struct RequestPolicy {
    pub(crate) timeout: Duration,
    pub(crate) body_limit: usize,
    pub(crate) ids: RequestIds,
    /// Where every request's duration is recorded, when the host keeps metrics.
    #[cfg(feature = "metrics")]
    pub(crate) metrics: Option<Arc<crate::telemetry::metrics::HttpMetrics>>,
}

/// Wraps a route in [`RequestService`].
#[derive(Debug, Clone)]
pub(crate) struct RequestLayer(pub(crate) Arc<RequestPolicy>);

impl<S> Layer<S> for RequestLayer {
    type Service = RequestService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestService {
            inner,
            policy: self.0.clone(),
        }
    }
}

/// One route behind the request layer.
#[derive(Debug, Clone)]
pub(crate) struct RequestService<S> {
    inner: S,
    policy: Arc<RequestPolicy>,
}

impl<S> Service<Request> for RequestService<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = RequestFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let started = Instant::now();
        let request_id = self.policy.ids.for_request(request.headers());
        let span = tracing::info_span!(
            "request",
            method = %request.method(),
            route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str),
            request_id = request_id.as_str(),
            status = tracing::field::Empty,
            latency_us = tracing::field::Empty,
        );
        let uri = request.uri().clone();
        #[cfg(feature = "metrics")]
        let in_flight = self.policy.metrics.as_ref().map(|metrics| {
            metrics.begin(request.method(), request.extensions().get::<MatchedPath>())
        });
        let stage = match declared_length(&request) {
            // Refused before the route runs, so that nothing polls the body: hyper sends
            // `100 Continue` (and the client the body) only once something does.
            Some(length) if length > self.policy.body_limit as u64 => Stage::Refused {
                response: Some(too_large(length, self.policy.body_limit)),
            },
            _ => {
                request.extensions_mut().insert(request_id.clone());
                let called =
                    span.in_scope(|| catch_unwind(AssertUnwindSafe(|| self.inner.call(request))));
                match called {
                    Ok(future) => Stage::Running {
                        future: tokio::time::timeout(
                            self.policy.timeout,
                            AssertUnwindSafe(future).catch_unwind(),
                        ),
                    },
                    Err(panic) => Stage::Failed { panic: Some(panic) },
                }
            }
        };
        RequestFuture {
            stage,
            request: Answering {
                started,
                timeout: self.policy.timeout,
                request_id,
                uri,
                span,
                #[cfg(feature = "metrics")]
                in_flight,
            },
        }
    }
}

/// What the answer needs to know about its request.
#[derive(Debug)]
struct Answering {
    started: Instant,
    timeout: Duration,
    request_id: RequestId,
    uri: Uri,
    span: tracing::Span,
    /// Recorded when the answer is finished; a request dropped before is only uncounted
    /// from the requests in flight.
    #[cfg(feature = "metrics")]
    in_flight: Option<crate::telemetry::metrics::InFlight>,
}

type Panic = Box<dyn Any + Send>;

pin_project! {
    /// The answer to one request behind [`RequestService`].
    #[must_use = "futures do nothing unless polled"]
    pub(crate) struct RequestFuture<F> {
        #[pin]
        stage: Stage<F>,
        request: Answering,
    }
}

pin_project! {
    #[project = StageProjection]
    enum Stage<F> {
        // The route is answering, within the timeout.
        Running { #[pin] future: Timeout<CatchUnwind<AssertUnwindSafe<F>>> },
        // Calling the route panicked before it returned a future.
        Failed { panic: Option<Panic> },
        // The request was answered without calling the route.
        Refused { response: Option<Response> },
        // The answer was an error, being rewritten as a problem.
        Rewriting { future: BoxFuture<'static, Response> },
    }
}

impl<F> Future for RequestFuture<F>
where
    F: Future<Output = Result<Response, Infallible>> + Send + 'static,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let request = this.request;
        loop {
            let response = match this.stage.as_mut().project() {
                StageProjection::Running { future } => {
                    let _entered = request.span.enter();
                    match ready!(future.poll(cx)) {
                        Ok(Ok(Ok(response))) => response,
                        Ok(Ok(Err(never))) => match never {},
                        Ok(Err(panic)) => request.panicked(&*panic),
                        Err(_elapsed) => request.timed_out(),
                    }
                }
                StageProjection::Failed { panic } => match panic.take() {
                    Some(panic) => request.panicked(&*panic),
                    None => Problem::internal().into_response(),
                },
                StageProjection::Refused { response } => response
                    .take()
                    .unwrap_or_else(|| Problem::internal().into_response()),
                StageProjection::Rewriting { future } => {
                    let response = ready!(future.as_mut().poll(cx));
                    return Poll::Ready(Ok(request.finish(response)));
                }
            };
            if !is_error(response.status()) {
                return Poll::Ready(Ok(request.finish(response)));
            }
            let path = request.uri.path().to_owned();
            let request_id = request.request_id.as_str().to_owned();
            let span = request.span.clone();
            this.stage.set(Stage::Rewriting {
                future: Box::pin(
                    async move { as_problem(response, &path, &request_id, &span).await },
                ),
            });
        }
    }
}

/// The body length `Content-Length` declares, if it is there and a number.
fn declared_length(request: &Request) -> Option<u64> {
    request
        .headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

fn too_large(length: u64, limit: usize) -> Response {
    Problem::from_status(StatusCode::PAYLOAD_TOO_LARGE)
        .with_detail(format!(
            "the request body is {length} bytes; at most {limit} bytes are accepted"
        ))
        .into_response()
}

fn is_error(status: StatusCode) -> bool {
    status.is_client_error() || status.is_server_error()
}

impl Answering {
    fn timed_out(&self) -> Response {
        tracing::warn!(parent: &self.span, timeout = ?self.timeout, "request timed out");
        Problem::from_status(StatusCode::GATEWAY_TIMEOUT)
            .with_detail(format!("the request took longer than {:?}", self.timeout))
            .into_response()
    }

    fn panicked(&self, panic: &(dyn Any + Send)) -> Response {
        tracing::error!(
            parent: &self.span,
            request_id = self.request_id.as_str(),
            panic = panic_message(panic),
            "handler panicked"
        );
        Problem::internal().into_response()
    }

    /// Adds the headers every answer carries and records the outcome in the span.
    fn finish(&mut self, mut response: Response) -> Response {
        let status = response.status();
        let headers = response.headers_mut();
        headers.insert(REQUEST_ID, self.request_id.0.clone());
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        let latency = self.started.elapsed();
        self.span.record("status", status.as_u16());
        self.span.record("latency_us", latency.as_micros() as u64);
        #[cfg(feature = "metrics")]
        if let Some(in_flight) = self.in_flight.take() {
            in_flight.finish(status, latency);
        }
        tracing::debug!(parent: &self.span, "request finished");
        response
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a non-text panic payload")
}

/// The answer to a request no route matches.
pub(crate) async fn not_found() -> Response {
    Problem::from_status(StatusCode::NOT_FOUND)
        .with_detail("no route matches this path")
        .into_response()
}
