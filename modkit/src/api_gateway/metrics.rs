//! The gateway's part in the host's metrics (feature `metrics`): it records every request
//! and serves `/metrics`, on its router or, with `telemetry.metrics.bind_addr`, on a
//! listener of its own that lives as long as the gateway serves.

use std::sync::Arc;

use axum::Router;
use tokio_util::sync::CancellationToken;

use crate::client_hub::ClientHub;
use crate::rest::OpenApiDocument;
use crate::runtime::RuntimeReportHandle;

#[cfg(feature = "metrics")]
pub(super) use crate::telemetry::metrics::Metrics;

/// Without the `metrics` feature there are none.
#[cfg(not(feature = "metrics"))]
#[derive(Debug)]
pub(super) enum Metrics {}

/// The host's metrics, if it keeps them (the host puts them into the ClientHub), told to
/// report the modules of `report` too.
pub(super) fn of_host(hub: &ClientHub, report: &RuntimeReportHandle) -> Option<Arc<Metrics>> {
    #[cfg(feature = "metrics")]
    {
        let metrics = hub.try_get::<Metrics>()?;
        metrics.observe_runtime(report.clone());
        Some(metrics)
    }
    #[cfg(not(feature = "metrics"))]
    {
        let _ = (hub, report);
        None
    }
}

/// `router` with `GET /metrics` (claimed in `document`, so that no operation takes the
/// path), unless metrics are served on a listener of their own.
pub(super) fn with_routes(
    router: Router,
    metrics: Option<&Arc<Metrics>>,
    document: &OpenApiDocument,
) -> Router {
    #[cfg(feature = "metrics")]
    if let Some(metrics) = metrics.filter(|m| m.config().bind_addr.is_none()) {
        use crate::telemetry::metrics::{METRICS_PATH, routes};
        document.claim_route(&axum::http::Method::GET, METRICS_PATH);
        return router.merge(routes(Arc::clone(metrics)));
    }
    let _ = (metrics, document);
    router
}

/// Starts the listener of `telemetry.metrics.bind_addr`, if set; cancel `stop` to end it.
pub(super) async fn serve_separately(
    metrics: Option<&Arc<Metrics>>,
    stop: &CancellationToken,
) -> anyhow::Result<()> {
    #[cfg(feature = "metrics")]
    if let Some((metrics, addr)) =
        metrics.and_then(|m| Some((Arc::clone(m), m.config().bind_addr?)))
    {
        let (bound, _task) = crate::telemetry::metrics::serve(metrics, addr, stop.clone()).await?;
        tracing::info!(address = %bound, "metrics on http://{bound}/metrics");
    }
    let _ = (metrics, stop);
    Ok(())
}
