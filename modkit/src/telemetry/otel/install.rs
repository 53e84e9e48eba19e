//! The OpenTelemetry layer: an OTLP exporter, a sampler and a batch processor behind a
//! `tracing_opentelemetry` layer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use opentelemetry::KeyValue;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::runtime::Tokio;
use opentelemetry_sdk::trace::span_processor_with_async_runtime::BatchSpanProcessor;
use opentelemetry_sdk::trace::{BatchConfigBuilder, Sampler, SdkTracerProvider};
use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::registry::LookupSpan;

use super::filter::{self, InTrace};
use super::{OtlpProtocol, TelemetryError, TracingConfig};

/// Set once a layer is made: the REST layer, the gRPC server spans and the context in
/// outgoing calls are installed only then.
static INSTALLED: AtomicBool = AtomicBool::new(false);

pub(super) fn installed() -> bool {
    INSTALLED.load(Ordering::Relaxed)
}

/// Keeps the tracer provider of an installed layer; [`shutdown`](Self::shutdown) sends
/// the spans still waiting and stops the exporter.
#[derive(Debug)]
#[must_use = "dropping the guard stops exporting spans"]
pub struct TracingGuard {
    provider: SdkTracerProvider,
}

impl TracingGuard {
    /// Sends what is left and stops. Call it from outside the async runtime's tasks (after
    /// `block_on` returns), while the runtime still exists: the exporter runs on it.
    pub fn shutdown(self) {
        if let Err(error) = self.provider.shutdown() {
            tracing::warn!(error = %error, "cannot send the last spans");
        }
    }
}

/// The layer that turns `tracing` spans into OpenTelemetry spans and exports them as
/// `config` says, and the guard that flushes them at the end. Spans of modkit's own
/// targets are taken from `DEBUG` up (the kernel's start-up, phase, hook and migration
/// spans), others from `INFO` up, each only within a trace: one that a REST or gRPC
/// request, a call through a `RemoteService`, start-up or shutdown opened. `attributes`
/// are added to the resource (beside `service.name`).
///
/// Must be called within a tokio runtime: the batch processor runs on it.
///
/// ```no_run
/// use tracing_subscriber::layer::SubscriberExt;
/// use tracing_subscriber::util::SubscriberInitExt;
/// use modkit::telemetry::otel::{TracingConfig, otel_layer};
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), modkit::telemetry::otel::TelemetryError> {
/// let telemetry = serde_json::json!({ "tracing": { "enabled": true } });
/// let config = TracingConfig::enabled_in(&telemetry)?.unwrap();
/// let (layer, guard) = otel_layer(&config, Vec::new())?;
/// tracing_subscriber::registry().with(layer).init();
/// // ... run; then, outside the runtime's tasks:
/// # drop(guard);
/// # Ok(())
/// # }
/// ```
pub fn otel_layer<S>(
    config: &TracingConfig,
    attributes: Vec<KeyValue>,
) -> Result<(impl Layer<S> + Send + Sync + 'static, TracingGuard), TelemetryError>
where
    S: Subscriber + for<'span> LookupSpan<'span> + Send + Sync,
{
    let endpoint = config.otlp.endpoint().to_owned();
    let failed = |reason: String| TelemetryError::Exporter {
        endpoint: endpoint.clone(),
        reason,
    };
    let exporter = match config.otlp.protocol {
        OtlpProtocol::Grpc => SpanExporter::builder()
            .with_tonic()
            .with_endpoint(&endpoint)
            .with_timeout(config.otlp.timeout())
            .build(),
        OtlpProtocol::Http => SpanExporter::builder()
            .with_http()
            .with_protocol(Protocol::HttpBinary)
            .with_endpoint(&endpoint)
            .with_timeout(config.otlp.timeout())
            .build(),
    }
    .map_err(|error| failed(error.to_string()))?;
    let batches = BatchConfigBuilder::default()
        .with_scheduled_delay(Duration::from(config.export_interval))
        .build();
    let processor = BatchSpanProcessor::builder(exporter, Tokio)
        .with_batch_config(batches)
        .build();
    let ratio = Sampler::TraceIdRatioBased(config.sampler.ratio);
    let sampler = if config.sampler.parent_based {
        Sampler::ParentBased(Box::new(ratio))
    } else {
        ratio
    };
    let resource = Resource::builder()
        .with_service_name(config.service_name())
        .with_attributes(attributes)
        .build();
    let provider = SdkTracerProvider::builder()
        .with_span_processor(processor)
        .with_sampler(sampler)
        .with_resource(resource)
        .build();
    let layer = tracing_opentelemetry::layer()
        .with_tracer(provider.tracer("modkit"))
        .with_threads(false)
        .with_location(false)
        .with_filter(InTrace::new());
    filter::remember(config.sampler);
    INSTALLED.store(true, Ordering::Relaxed);
    Ok((layer, TracingGuard { provider }))
}
