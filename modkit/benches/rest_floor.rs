//! The REST floor of issue #13: requests/s and server CPU per request of one
//! `OperationBuilder` GET through the `api-gateway` (every default layer on, logging at
//! `warn`), against the same handler on bare axum, with telemetry off and with metrics on;
//! measured with `wrk` (2 threads, 64 connections; Debian package `wrk`) in one run.
//!
//! Run with: taskset -c 0 cargo bench -p modkit --bench rest_floor
//! (the servers then share core 0, and `wrk` runs on core 1 when `taskset` is there.)
//! `BENCH_SECONDS` (default 4) and `BENCH_ROUNDS` (default 5) change the length of a round
//! and how many rounds each server gets; rounds alternate between the servers, so drift
//! and other load hit all alike. Server CPU is the process's own (user + system) CPU time
//! over a round, read from `/proc/self/stat`: `wrk` is another process.

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use modkit::api_gateway::ApiGateway;
use modkit::bootstrap::{LoggingConfig, init_logging};
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::telemetry::metrics::{Metrics, MetricsConfig};
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

/// A host of the gateway and `Ping`; with `metrics`, the host keeps metrics.
async fn serve_gateway(cancel: CancellationToken, metrics: bool) -> SocketAddr {
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
    let hub = Arc::new(ClientHub::new());
    if metrics {
        hub.register::<Metrics>(Arc::new(Metrics::new(MetricsConfig::default())));
    }
    let runtime = HostRuntime::new(
        builder.build_topo_sorted().unwrap(),
        Arc::new(config),
        DbOptions::None,
        hub,
        cancel,
        uuid::Uuid::new_v4(),
        None,
    );
    let report = runtime.report();
    tokio::spawn(runtime.run_module_phases());
    assert!(report.wait_ready().await, "the gateway host did not start");
    gateway.handle().local_addr().unwrap()
}

/// This process's CPU time so far, user and system, from `/proc/self/stat`.
fn cpu_time() -> (Duration, Duration) {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let rest = &stat[stat.rfind(')').expect("a stat line") + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // USER_HZ is 100 on every Linux the bench runs on.
    let ticks = |n: usize| Duration::from_millis(fields[n].parse::<u64>().unwrap() * 10);
    (ticks(11), ticks(12))
}

/// One round of `wrk` against `addr`: requests per second and server CPU per request.
#[derive(Debug, Clone, Copy)]
struct Round {
    throughput: f64,
    cpu_per_request: Duration,
    /// In user mode only: the server's own code, without the kernel's TCP work.
    user_per_request: Duration,
}

async fn round(addr: SocketAddr, seconds: u64) -> Round {
    let pinned = std::path::Path::new("/usr/bin/taskset").exists();
    let mut command = if pinned {
        let mut command = Command::new("taskset");
        command.args(["-c", "1", "wrk"]);
        command
    } else {
        Command::new("wrk")
    };
    command
        .args(["-t2", "-c64", &format!("-d{seconds}s")])
        .arg(format!("http://{addr}/ping"));
    let before = cpu_time();
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("run wrk (apt-get install wrk)");
    let after = cpu_time();
    let user = after.0.saturating_sub(before.0);
    let cpu = user + after.1.saturating_sub(before.1);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "wrk failed: {text}");
    assert!(!text.contains("Non-2xx"), "errors answered: {text}");
    let requests: u64 = text
        .lines()
        .find_map(|line| line.trim().split_once(" requests in "))
        .and_then(|(count, _)| count.parse().ok())
        .unwrap_or_else(|| panic!("no request count in wrk's output: {text}"));
    let throughput: f64 = text
        .lines()
        .find_map(|line| line.strip_prefix("Requests/sec:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec in wrk's output: {text}"));
    let requests = u32::try_from(requests.max(1)).unwrap_or(u32::MAX);
    Round {
        throughput,
        cpu_per_request: cpu / requests,
        user_per_request: user / requests,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` only checks that it starts.
    if !std::env::args().any(|arg| arg == "--bench") || which("wrk").is_none() {
        println!("rest_floor: run with `cargo bench` and `wrk` on PATH");
        return;
    }
    let seconds = env_number("BENCH_SECONDS", 4).max(1);
    let rounds = env_number("BENCH_ROUNDS", 5).max(1) as usize;
    let mut logging = LoggingConfig::default();
    logging.level = "warn".to_owned();
    init_logging(&logging);
    // The servers on one worker thread: CPU per request is then one core's.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let cancel = CancellationToken::new();
        let servers = [
            ("bare axum", serve_bare().await),
            ("gateway, telemetry off", serve_gateway(cancel.clone(), false).await),
            ("gateway, metrics on", serve_gateway(cancel.clone(), true).await),
        ];
        for (_, addr) in &servers {
            round(*addr, 1).await;
        }
        let mut results: Vec<Vec<Round>> = vec![Vec::new(); servers.len()];
        for _ in 0..rounds {
            for (i, (_, addr)) in servers.iter().enumerate() {
                results[i].push(round(*addr, seconds).await);
            }
        }
        println!("GET /ping, wrk -t2 -c64, {rounds} x {seconds}s per server, alternating");
        for (i, (name, _)) in servers.iter().enumerate() {
            let rps = median(results[i].iter().map(|r| r.throughput).collect());
            let cpu = median(results[i].iter().map(|r| r.cpu_per_request.as_nanos() as f64).collect());
            let user = median(results[i].iter().map(|r| r.user_per_request.as_nanos() as f64).collect());
            println!(
                "{name:<24} {rps:>9.0} req/s   {:>6.2} us CPU/request ({:.2} us user)",
                cpu / 1000.0,
                user / 1000.0
            );
        }
        for (i, (name, _)) in servers.iter().enumerate().skip(1) {
            let base = if i == 1 { 0 } else { 1 };
            let ratio = median(
                (0..rounds)
                    .map(|r| results[i][r].throughput / results[base][r].throughput)
                    .collect(),
            );
            let extra = median(
                (0..rounds)
                    .map(|r| {
                        results[i][r].cpu_per_request.as_nanos() as f64
                            - results[base][r].cpu_per_request.as_nanos() as f64
                    })
                    .collect(),
            );
            let extra_user = median(
                (0..rounds)
                    .map(|r| {
                        results[i][r].user_per_request.as_nanos() as f64
                            - results[base][r].user_per_request.as_nanos() as f64
                    })
                    .collect(),
            );
            println!(
                "{name} / {}: throughput ratio {ratio:.3} (median of pairs), extra CPU {:+.2} us/request ({:+.2} us user)",
                servers[base].0,
                extra / 1000.0,
                extra_user / 1000.0
            );
        }
        cancel.cancel();
    });
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}
