//! The HTTP server's metrics, with OpenTelemetry's semantic-convention names:
//! `http_server_request_duration_seconds` (by method, route template and status) and
//! `http_server_active_requests`.

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::MatchedPath;
use axum::http::{Method, StatusCode};
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

/// OpenTelemetry's advice for `http.server.request.duration`, in seconds.
const BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];

/// The route label of a request no route matched: one value, whatever the path.
pub(crate) const UNMATCHED: &str = "unmatched";

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    http_request_method: &'static str,
    http_route: Route,
    http_response_status_code: u16,
}

/// A route template (`/v1/users/{id}`), never a raw path: label values stay as many as
/// the routes. Holds axum's own `Arc<str>`, so a request costs no copy of it.
#[derive(Debug, Clone)]
struct Route(Option<MatchedPath>);

impl Route {
    fn as_str(&self) -> &str {
        self.0.as_ref().map_or(UNMATCHED, MatchedPath::as_str)
    }
}

impl PartialEq for Route {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Route {}

impl Hash for Route {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl EncodeLabelValue for Route {
    fn encode(&self, encoder: &mut LabelValueEncoder<'_>) -> std::fmt::Result {
        std::fmt::Write::write_str(encoder, self.as_str())
    }
}

/// What the api-gateway records of every request.
#[derive(Debug)]
pub(crate) struct HttpMetrics {
    duration: Family<RequestLabels, Histogram>,
    active: Gauge,
}

impl HttpMetrics {
    pub(super) fn new(registry: &mut Registry) -> Self {
        let duration = Family::<RequestLabels, Histogram>::new_with_constructor(
            (|| Histogram::new(BUCKETS)) as fn() -> Histogram,
        );
        let active = Gauge::default();
        registry.register_with_unit(
            "http_server_request_duration",
            "Duration of HTTP server requests, by method, route template and status",
            Unit::Seconds,
            duration.clone(),
        );
        registry.register(
            "http_server_active_requests",
            "HTTP server requests being answered",
            active.clone(),
        );
        Self { duration, active }
    }

    /// Counts a request in flight until the returned guard is finished or dropped.
    pub(crate) fn begin(
        self: &Arc<Self>,
        method: &Method,
        route: Option<&MatchedPath>,
    ) -> InFlight {
        self.active.inc();
        InFlight {
            metrics: Arc::clone(self),
            method: method_label(method),
            route: Route(route.cloned()),
        }
    }
}

/// A request being answered.
#[derive(Debug)]
pub(crate) struct InFlight {
    metrics: Arc<HttpMetrics>,
    method: &'static str,
    route: Route,
}

impl InFlight {
    /// Records the answer's status and how long it took.
    pub(crate) fn finish(self, status: StatusCode, took: Duration) {
        let labels = RequestLabels {
            http_request_method: self.method,
            http_route: self.route.clone(),
            http_response_status_code: status.as_u16(),
        };
        self.metrics
            .duration
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.metrics.active.dec();
    }
}

/// OpenTelemetry's rule: the known methods by name, any other as `_OTHER`, so that a
/// client cannot make label values up.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "_OTHER",
    }
}
