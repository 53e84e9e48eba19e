//! Throughput and latency of a trivial `GET` through the `api-gateway` (every default layer:
//! request id, span, timeout, panic catching, problems, body limit, nosniff) against the
//! same handler on bare axum, measured in one run over loopback.
//!
//! Run with: cargo bench -p modkit --bench rest_gateway
//! (`BENCH_SECONDS`, `BENCH_ROUNDS` and `BENCH_CONNECTIONS` change the defaults of 2 s per
//! round, 6 rounds per server and 32 keep-alive connections.) Rounds alternate between the
//! two servers; the ratio printed is the median of the per-pair ratios, which a burst of
//! other load on the machine moves far less than the ratio of the totals.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use modkit::api_gateway::ApiGateway;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::{
    CancellationToken, ClientHub, DbOptions, HostRuntime, Module, ModuleCtx, OpenApiRegistry,
    RestApiCapability,
};

/// The REST module under test: `GET /ping` answering `pong`.
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

async fn serve_bare() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = Router::new().route("/ping", get(pong));
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

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

/// Latencies of every request one round made, in nanoseconds.
struct Round {
    latencies: Vec<u64>,
    elapsed: Duration,
}

impl Round {
    fn throughput(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }
}

/// `connections` keep-alive connections each sending `GET /ping` back to back for `length`.
async fn round(addr: SocketAddr, connections: usize, length: Duration) -> Round {
    let began = Instant::now();
    let deadline = began + length;
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream))
                    .await
                    .unwrap();
            tokio::spawn(connection);
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let request = hyper::Request::get("/ping")
                    .header("host", "bench")
                    .body(Empty::<Bytes>::new())
                    .unwrap();
                let sent = Instant::now();
                let response = sender.send_request(request).await.unwrap();
                assert_eq!(response.status(), 200);
                let _ = response.into_body().collect().await.unwrap();
                latencies.push(sent.elapsed().as_nanos() as u64);
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    Round {
        latencies,
        elapsed: began.elapsed(),
    }
}

struct Totals {
    name: &'static str,
    requests: usize,
    elapsed: Duration,
    latencies: Vec<u64>,
}

impl Totals {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            requests: 0,
            elapsed: Duration::ZERO,
            latencies: Vec::new(),
        }
    }

    fn add(&mut self, round: Round) {
        self.requests += round.latencies.len();
        self.elapsed += round.elapsed;
        self.latencies.extend(round.latencies);
    }

    fn throughput(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&mut self, p: f64) -> Duration {
        self.latencies.sort_unstable();
        let index = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        Duration::from_nanos(self.latencies.get(index).copied().unwrap_or(0))
    }

    fn print(&mut self) {
        let (p50, p99) = (self.percentile(0.50), self.percentile(0.99));
        println!(
            "{:<12} {:>10.0} req/s   p50 {:>9.1?}   p99 {:>9.1?}   ({} requests)",
            self.name,
            self.throughput(),
            p50,
            p99,
            self.requests
        );
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once, briefly.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let seconds = if quick {
        0
    } else {
        env_number("BENCH_SECONDS", 2)
    };
    let length = if quick {
        Duration::from_millis(100)
    } else {
        Duration::from_secs(seconds)
    };
    let rounds = if quick {
        1
    } else {
        env_number("BENCH_ROUNDS", 6).max(1) as usize
    };
    let connections = env_number("BENCH_CONNECTIONS", 32) as usize;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let cancel = CancellationToken::new();
        let bare_addr = serve_bare().await;
        let gateway_addr = serve_gateway(cancel.clone()).await;
        // Warm up both, then alternate rounds so that drift hits both alike.
        round(bare_addr, connections, length / 3).await;
        round(gateway_addr, connections, length / 3).await;
        let mut bare = Totals::new("bare axum");
        let mut gateway = Totals::new("api-gateway");
        let mut ratios = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let bare_round = round(bare_addr, connections, length).await;
            let gateway_round = round(gateway_addr, connections, length).await;
            ratios.push(gateway_round.throughput() / bare_round.throughput());
            bare.add(bare_round);
            gateway.add(gateway_round);
        }
        println!(
            "GET /ping over loopback, {connections} keep-alive connections, {rounds} x {length:?} per server"
        );
        bare.print();
        gateway.print();
        ratios.sort_by(f64::total_cmp);
        let as_percent = |ratio: f64| format!("{:.1}%", 100.0 * ratio);
        println!(
            "api-gateway / bare axum throughput: median {} (pairs from {} to {}), totals {}",
            as_percent(ratios[ratios.len() / 2]),
            as_percent(ratios[0]),
            as_percent(ratios[ratios.len() - 1]),
            as_percent(gateway.throughput() / bare.throughput()),
        );
        cancel.cancel();
    });
}
