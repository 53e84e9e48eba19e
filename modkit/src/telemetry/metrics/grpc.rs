//! gRPC call durations, with OpenTelemetry's names: `rpc_server_call_duration_seconds`
//! (every call the gRPC hub served) and `rpc_client_call_duration_seconds` (every call a
//! [`RemoteService`](crate::directory::RemoteService) of the host made), by `rpc_service`,
//! `rpc_method` and `rpc_grpc_status_code`.
//!
//! Label values stay bounded: a call the server does not know (status `UNIMPLEMENTED`) is
//! counted under `_OTHER` for both service and method, whatever path the client sent.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use axum::http::{HeaderMap, Request, Response, Uri};
use hyper::body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use tower::{Layer, Service};

/// OpenTelemetry's advice for RPC durations, in seconds.
const BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];

/// gRPC's `UNIMPLEMENTED`: the path named no service or method the server has.
const UNIMPLEMENTED: u16 = 12;
/// gRPC's `CANCELLED`: the caller went away before the answer ended.
const CANCELLED: u16 = 1;
/// gRPC's `UNKNOWN`: the answer ended without a status.
const UNKNOWN: u16 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct CallLabels {
    rpc_service: String,
    rpc_method: String,
    rpc_grpc_status_code: u16,
}

/// The gRPC call durations of the host, server and client side.
#[derive(Debug)]
pub(crate) struct RpcMetrics {
    server: Family<CallLabels, Histogram>,
    client: Family<CallLabels, Histogram>,
}

fn histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

impl RpcMetrics {
    pub(super) fn new(registry: &mut Registry) -> Self {
        let server = Family::new_with_constructor(histogram as fn() -> Histogram);
        let client = Family::new_with_constructor(histogram as fn() -> Histogram);
        registry.register_with_unit(
            "rpc_server_call_duration",
            "Duration of gRPC calls the host served, by service, method and status code",
            Unit::Seconds,
            server.clone(),
        );
        registry.register_with_unit(
            "rpc_client_call_duration",
            "Duration of gRPC calls the host made to remote modules, by service, method and status code",
            Unit::Seconds,
            client.clone(),
        );
        Self { server, client }
    }

    /// Records a call the host made to `service`'s `method` (retries included).
    pub(crate) fn client_call(&self, service: &str, method: &str, code: u16, started: Instant) {
        self.client
            .get_or_create(&labels(service, method, code))
            .observe(started.elapsed().as_secs_f64());
    }

    fn server_call(&self, uri: &Uri, code: u16, started: Instant) {
        let (service, method) = uri
            .path()
            .trim_start_matches('/')
            .split_once('/')
            .unwrap_or(("_OTHER", "_OTHER"));
        self.server
            .get_or_create(&labels(service, method, code))
            .observe(started.elapsed().as_secs_f64());
    }
}

fn labels(service: &str, method: &str, code: u16) -> CallLabels {
    let (service, method) = if code == UNIMPLEMENTED {
        ("_OTHER", "_OTHER")
    } else {
        (service, method)
    };
    CallLabels {
        rpc_service: service.to_owned(),
        rpc_method: method.to_owned(),
        rpc_grpc_status_code: code,
    }
}

/// The status of a gRPC answer in `headers` (trailers, or the headers of a trailers-only
/// answer), if there is one.
fn status_in(headers: &HeaderMap) -> Option<u16> {
    headers.get("grpc-status")?.to_str().ok()?.parse().ok()
}

/// Times every call of the service it wraps (the gRPC hub's routes), when the host keeps
/// metrics.
#[derive(Debug, Clone, Default)]
pub(crate) struct GrpcServerLayer {
    metrics: Option<Arc<RpcMetrics>>,
}

impl GrpcServerLayer {
    /// Records into `metrics` (the host's, if it keeps them).
    pub(crate) fn new(metrics: Option<&super::Metrics>) -> Self {
        Self {
            metrics: metrics.map(|metrics| Arc::clone(metrics.rpc())),
        }
    }
}

impl<S> Layer<S> for GrpcServerLayer {
    type Service = GrpcServerService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        GrpcServerService {
            inner,
            metrics: self.metrics.clone(),
        }
    }
}

/// A gRPC service timed by [`GrpcServerLayer`].
#[derive(Debug, Clone)]
pub(crate) struct GrpcServerService<S> {
    inner: S,
    metrics: Option<Arc<RpcMetrics>>,
}

/// A call being timed.
#[derive(Debug)]
struct Call {
    metrics: Arc<RpcMetrics>,
    uri: Uri,
    started: Instant,
}

impl<S, B, R> Service<Request<B>> for GrpcServerService<S>
where
    S: Service<Request<B>, Response = Response<R>>,
{
    type Response = Response<TimedBody<R>>;
    type Error = S::Error;
    type Future = TimedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let call = self.metrics.as_ref().map(|metrics| Call {
            metrics: Arc::clone(metrics),
            uri: request.uri().clone(),
            started: Instant::now(),
        });
        TimedFuture {
            inner: self.inner.call(request),
            call,
        }
    }
}

pin_project! {
    /// The answer's head, then its body, timed.
    #[must_use = "futures do nothing unless polled"]
    pub(crate) struct TimedFuture<F> {
        #[pin]
        inner: F,
        call: Option<Call>,
    }
}

impl<F, R, E> Future for TimedFuture<F>
where
    F: Future<Output = Result<Response<R>, E>>,
{
    type Output = Result<Response<TimedBody<R>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let response = ready!(this.inner.poll(cx));
        let call = this.call.take();
        Poll::Ready(match response {
            Ok(response) => {
                let status = status_in(response.headers());
                Ok(response.map(|inner| TimedBody {
                    inner,
                    call,
                    status,
                }))
            }
            Err(error) => {
                if let Some(call) = call {
                    call.metrics.server_call(&call.uri, UNKNOWN, call.started);
                }
                Err(error)
            }
        })
    }
}

pin_project! {
    /// A gRPC answer's body: the call is recorded when its trailers (or its end) arrive,
    /// or as cancelled when the body is dropped before.
    pub(crate) struct TimedBody<B> {
        #[pin]
        inner: B,
        call: Option<Call>,
        // The status of a trailers-only answer.
        status: Option<u16>,
    }

    impl<B> PinnedDrop for TimedBody<B> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if let Some(call) = this.call.take() {
                // A trailers-only answer (its status in its head) may end unpolled.
                let code = this.status.unwrap_or(CANCELLED);
                call.metrics.server_call(&call.uri, code, call.started);
            }
        }
    }
}

impl<B: Body> Body for TimedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.project();
        let frame = ready!(this.inner.poll_frame(cx));
        let code = match &frame {
            Some(Ok(frame)) => frame
                .trailers_ref()
                .map(|t| status_in(t).unwrap_or(UNKNOWN)),
            Some(Err(_)) => Some(UNKNOWN),
            None => Some(this.status.unwrap_or(UNKNOWN)),
        };
        if let Some(code) = code
            && let Some(call) = this.call.take()
        {
            call.metrics.server_call(&call.uri, code, call.started);
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_service_or_method_is_one_label_value() {
        let known = labels("pkg.Greeter", "Hello", 0);
        assert_eq!(
            (known.rpc_service.as_str(), known.rpc_method.as_str()),
            ("pkg.Greeter", "Hello")
        );
        let made_up = labels("made.up.Service", "Anything", UNIMPLEMENTED);
        assert_eq!(
            (made_up.rpc_service.as_str(), made_up.rpc_method.as_str()),
            ("_OTHER", "_OTHER")
        );
    }
}
