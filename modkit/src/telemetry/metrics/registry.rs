//! [`Metrics`]: the host's registry and what it serves.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use prometheus_client::collector::Collector;
use prometheus_client::registry::Registry;

#[cfg(feature = "grpc-hub")]
use super::grpc::RpcMetrics;
use super::http::HttpMetrics;
use super::modules::ModulesCollector;
use super::text_format::{TextFormat, to_prometheus_text};
use super::{MetricsConfig, process};
use crate::runtime::RuntimeReportHandle;

/// The host's metrics: what `/metrics` serves.
///
/// The host makes one from `telemetry.metrics` and puts it into the ClientHub before any
/// module runs; the api-gateway records every request into it and serves it, and modules
/// add metrics of their own through [`registry`](Self::registry).
///
/// ```
/// use modkit::telemetry::metrics::{Metrics, MetricsConfig, TextFormat};
/// use modkit::telemetry::metrics::prometheus_client::metrics::counter::Counter;
///
/// let metrics = Metrics::new(MetricsConfig::default());
/// let jobs = Counter::<u64>::default();
/// metrics.registry().register("myapp_jobs", "Jobs run", jobs.clone());
/// jobs.inc();
/// assert!(metrics.render(TextFormat::Prometheus).contains("myapp_jobs_total 1"));
/// ```
pub struct Metrics {
    config: MetricsConfig,
    registry: Mutex<Registry>,
    http: Arc<HttpMetrics>,
    #[cfg(feature = "grpc-hub")]
    rpc: Arc<RpcMetrics>,
    /// Set once the modules' metrics are read from a runtime report.
    runtime: OnceLock<()>,
}

impl Metrics {
    /// A registry with the HTTP server's and the process's metrics in it.
    pub fn new(config: MetricsConfig) -> Self {
        let mut registry = Registry::default();
        let http = Arc::new(HttpMetrics::new(&mut registry));
        #[cfg(feature = "grpc-hub")]
        let rpc = Arc::new(RpcMetrics::new(&mut registry));
        registry.register_collector(Box::new(process::ProcessCollector));
        Self {
            config,
            registry: Mutex::new(registry),
            http,
            #[cfg(feature = "grpc-hub")]
            rpc,
            runtime: OnceLock::new(),
        }
    }

    /// Reports the connections of every pool `manager` opened, at every scrape. The host's
    /// `main` (`modkit::bootstrap`) calls it with its manager.
    #[cfg(feature = "db")]
    pub fn observe_databases(&self, manager: std::sync::Arc<crate::db::DbManager>) {
        self.register_collector(super::databases::PoolsCollector { manager });
    }

    /// Reports `counts` (each module's live instances in the directory) at every scrape;
    /// the gRPC hub calls it with its directory.
    #[cfg_attr(
        not(feature = "grpc-hub"),
        expect(dead_code, reason = "only the gRPC hub keeps a directory")
    )]
    pub(crate) fn observe_directory(
        &self,
        counts: impl Fn() -> Vec<(String, usize)> + Send + Sync + 'static,
    ) {
        self.register_collector(super::directory::InstancesCollector {
            counts: Box::new(counts),
        });
    }

    /// Reports every module's state, hook durations, tasks and restarts from `report` at
    /// every scrape. The api-gateway calls it with its host's report; later calls do
    /// nothing.
    pub fn observe_runtime(&self, report: RuntimeReportHandle) {
        if self.runtime.set(()).is_ok() {
            self.register_collector(ModulesCollector { report });
        }
    }

    /// What it was made from.
    pub fn config(&self) -> &MetricsConfig {
        &self.config
    }

    /// The registry, to add metrics or a [`Collector`] to. Hold it only to register:
    /// scrapes wait for it.
    pub fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds `collector`, asked for its metrics at every scrape.
    pub fn register_collector(&self, collector: impl Collector) {
        self.registry().register_collector(Box::new(collector));
    }

    /// Every metric, as of now, in `format`.
    pub fn render(&self, format: TextFormat) -> String {
        let mut openmetrics = String::with_capacity(16 * 1024);
        if let Err(error) =
            prometheus_client::encoding::text::encode(&mut openmetrics, &self.registry())
        {
            // Writing into a String fails only when a collector reports an error.
            tracing::warn!(%error, "a metrics collector failed; its metrics are left out");
        }
        match format {
            TextFormat::OpenMetrics => openmetrics,
            TextFormat::Prometheus => to_prometheus_text(&openmetrics),
        }
    }

    /// The gRPC calls' metrics, recorded by the gRPC hub and remote clients.
    #[cfg(feature = "grpc-hub")]
    pub(crate) fn rpc(&self) -> &Arc<RpcMetrics> {
        &self.rpc
    }

    /// The HTTP server's metrics, recorded by the api-gateway.
    pub(crate) fn http(&self) -> &Arc<HttpMetrics> {
        &self.http
    }
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}
