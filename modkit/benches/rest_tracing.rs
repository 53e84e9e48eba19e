//! What tracing adds to a REST request: the same `GET /ping` through the `api-gateway`
//! with tracing off (today's logging only), with tracing on and the sampler at 0, and with
//! tracing on at ratio 1.0 exporting every span over OTLP/gRPC to a receiver on loopback.
//!
//! The settings share one process, and the sampler a request is checked against before it
//! gets a span is the process's (the first layer's, ratio 0): the ratio 1.0 setting's
//! requests carry a sampled `traceparent`, so that every one is traced and exported, as a
//! ratio of 1.0 does (its provider's sampler is `ParentBased(TraceIdRatioBased(1.0))`).
//!
//! Run with: cargo bench -p modkit --features otel --bench rest_tracing
//! (`BENCH_REQUESTS` and `BENCH_ROUNDS` change the defaults of 4000 requests per round and
//! 15 rounds per setting.)
//!
//! Each setting has its own single-threaded runtime, so client, server and (at ratio 1.0)
//! the batch exporter share one thread: a request's time there is the CPU it costs on both
//! sides, and the client's share is the same in every setting. Rounds alternate between
//! the settings; what is printed is each setting's median per-request time and the median
//! of the per-round differences against tracing off, which a burst of other load on the
//! machine moves far less than the totals.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use axum::Router;
use axum::http::StatusCode;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use modkit::api_gateway::ApiGateway;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::telemetry::otel::{TracingConfig, otel_layer};
use modkit::{
    CancellationToken, ClientHub, DbOptions, HostRuntime, Module, ModuleCtx, OpenApiRegistry,
    RestApiCapability,
};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use tracing::Dispatch;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;

/// `GET /ping` answering `pong`.
struct Ping;

#[modkit::async_trait]
impl Module for Ping {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl RestApiCapability for Ping {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        Ok(OperationBuilder::get("/ping")
            .operation_id("ping")
            .handler(pong)
            .empty_response(StatusCode::OK, "pong")
            .register(router, openapi))
    }
}

async fn pong() -> &'static str {
    "pong"
}

/// A gateway host serving `GET /ping` on a free loopback port.
async fn serve_gateway(cancel: CancellationToken) -> SocketAddr {
    let mut builder = RegistryBuilder::default();
    let gateway = Arc::new(ApiGateway::default());
    builder.register_core_with_meta("api-gateway", &[], gateway.clone());
    builder.register_rest_host_with_meta("api-gateway", gateway.clone());
    builder.register_stateful_with_meta("api-gateway", gateway.clone());
    builder.register_system_with_meta("api-gateway", gateway.clone());
    let ping = Arc::new(Ping);
    builder.register_core_with_meta("ping", &[], ping.clone());
    builder.register_rest_with_meta("ping", ping);
    let config = ModulesConfig::new(serde_json::json!({
        "api-gateway": { "config": { "bind_addr": "127.0.0.1:0" } },
    }));
    let runtime = HostRuntime::new(
        builder.build_topo_sorted().unwrap(),
        Arc::new(config),
        DbOptions::None,
        Arc::new(ClientHub::new()),
        cancel,
        uuid::Uuid::new_v4(),
        None,
    );
    let report = runtime.report();
    tokio::spawn(runtime.run_module_phases());
    assert!(report.wait_ready().await, "the gateway host did not start");
    gateway.handle().local_addr().unwrap()
}

/// An OTLP/gRPC receiver that counts the spans it gets.
struct Receiver(Arc<AtomicUsize>);

#[tonic::async_trait]
impl TraceService for Receiver {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let spans: usize = request
            .into_inner()
            .resource_spans
            .iter()
            .flat_map(|resource| &resource.scope_spans)
            .map(|scope| scope.spans.len())
            .sum();
        self.0.fetch_add(spans, Ordering::Relaxed);
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

/// Starts the receiver on its own thread; returns its endpoint.
fn start_receiver(received: Arc<AtomicUsize>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            tonic::transport::Server::builder()
                .add_service(TraceServiceServer::new(Receiver(received)))
                .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener))
                .await
                .unwrap();
        });
    });
    format!("http://{address}")
}

/// One setting: its runtime, the dispatcher its requests run under, its gateway.
struct Setting {
    name: &'static str,
    runtime: tokio::runtime::Runtime,
    dispatch: Dispatch,
    address: SocketAddr,
    medians: Vec<f64>,
    /// A sampled caller's `traceparent`, sent with each request.
    traceparent: Option<&'static str>,
}

impl Setting {
    /// Builds a runtime and, within it, `subscriber` and the gateway.
    fn new(
        name: &'static str,
        subscriber: impl FnOnce() -> Dispatch,
        cancel: &CancellationToken,
    ) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let dispatch = {
            let _entered = runtime.enter();
            subscriber()
        };
        let address = tracing::dispatcher::with_default(&dispatch, || {
            runtime.block_on(serve_gateway(cancel.clone()))
        });
        Self {
            name,
            runtime,
            dispatch,
            address,
            medians: Vec::new(),
            traceparent: None,
        }
    }

    /// `requests` requests back to back on one keep-alive connection; the median time of
    /// one, in microseconds.
    fn round(&mut self, requests: usize) -> f64 {
        let address = self.address;
        let traceparent = self.traceparent;
        let mut latencies = tracing::dispatcher::with_default(&self.dispatch, || {
            self.runtime.block_on(async move {
                let stream = tokio::net::TcpStream::connect(address).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let (mut sender, connection) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream))
                        .await
                        .unwrap();
                tokio::spawn(connection);
                let mut latencies = Vec::with_capacity(requests);
                for _ in 0..requests {
                    let mut request = hyper::Request::get("/ping").header("host", "bench");
                    if let Some(traceparent) = traceparent {
                        request = request.header("traceparent", traceparent);
                    }
                    let request = request.body(Empty::<Bytes>::new()).unwrap();
                    let sent = Instant::now();
                    let response = sender.send_request(request).await.unwrap();
                    assert_eq!(response.status(), 200);
                    let _ = response.into_body().collect().await.unwrap();
                    latencies.push(sent.elapsed().as_nanos() as u64);
                }
                latencies
            })
        });
        latencies.sort_unstable();
        let median = latencies[latencies.len() / 2] as f64 / 1000.0;
        self.medians.push(median);
        median
    }
}

/// The log lines a host writes (to a sink here), as with tracing off.
fn lines<S>() -> impl Layer<S> + Send + Sync
where
    S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
{
    tracing_subscriber::fmt::layer()
        .with_writer(std::io::sink)
        .with_filter(tracing_subscriber::EnvFilter::new("info"))
}

fn traced(endpoint: &str, ratio: f64) -> Dispatch {
    let config = TracingConfig::enabled_in(&serde_json::json!({
        "tracing": {
            "enabled": true,
            "otlp": { "endpoint": endpoint },
            "sampler": { "ratio": ratio },
            "export_interval": "200ms",
        }
    }))
    .unwrap()
    .unwrap();
    let (otel, guard) = otel_layer(&config, Vec::new()).unwrap();
    // The provider lives as long as the bench.
    std::mem::forget(guard);
    Dispatch::new(tracing_subscriber::registry().with(otel).with(lines()))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once, briefly.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let requests = if quick {
        50
    } else {
        env_number("BENCH_REQUESTS", 4000)
    };
    let rounds = if quick {
        1
    } else {
        env_number("BENCH_ROUNDS", 15).max(1)
    };
    let received = Arc::new(AtomicUsize::new(0));
    let endpoint = start_receiver(Arc::clone(&received));
    let cancel = CancellationToken::new();
    // Tracing off first: its gateway is built before any OpenTelemetry layer exists, so it
    // has no trace layer, as in a host with tracing off.
    let off = Setting::new(
        "off",
        || Dispatch::new(tracing_subscriber::registry().with(lines())),
        &cancel,
    );
    let zero = Setting::new("ratio 0", || traced(&endpoint, 0.0), &cancel);
    let mut all = Setting::new("ratio 1.0", || traced(&endpoint, 1.0), &cancel);
    all.traceparent = Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    let mut settings = [off, zero, all];
    // Warm up each.
    for setting in &mut settings {
        setting.round(requests / 4);
        setting.medians.clear();
    }
    let mut differences = [Vec::new(), Vec::new()];
    for _ in 0..rounds {
        let base = settings[0].round(requests);
        differences[0].push(settings[1].round(requests) - base);
        differences[1].push(settings[2].round(requests) - base);
    }
    println!(
        "GET /ping, one keep-alive connection, client and server on one thread, {rounds} rounds x {requests} requests per setting"
    );
    for setting in &mut settings {
        let name = setting.name;
        println!(
            "tracing {name:<10} median {:>7.2} us per request",
            median(&mut setting.medians)
        );
    }
    for (setting, difference) in settings[1..].iter().zip(&mut differences) {
        println!(
            "tracing {:<10} adds {:>6.2} us per request (median of per-round differences against off)",
            setting.name,
            median(difference)
        );
    }
    println!(
        "spans received over OTLP so far: {}",
        received.load(Ordering::Relaxed)
    );
    cancel.cancel();
}
