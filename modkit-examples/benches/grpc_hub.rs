//! Unary gRPC calls through the `grpc-hub` against a bare tonic server with the same
//! service, in one run: requests per second and p50/p99 latency.
//!
//! Run with: cargo bench -p modkit-examples --bench grpc_hub
//!
//! Each round runs `CONCURRENCY` callers sharing one HTTP/2 connection for `MEASURE` after
//! `WARM_UP`; rounds alternate between the servers so that background load hits both alike.

use std::sync::Arc;
use std::time::Duration;

use modkit::config::ModulesConfig;
use modkit::{CancellationToken, ClientHub, DbOptions, GrpcHubCapability, HostRuntime};
use modkit_examples::calculator::proto::AddRequest;
use modkit_examples::calculator::proto::calculator_client::CalculatorClient;
use modkit_examples::calculator::{
    CalculatorApi, CalculatorGrpcClient, CalculatorService, LocalCalculator,
};
use tonic::transport::{Channel, Endpoint};

mod common;

use common::Figures;

const CONCURRENCY: usize = 32;
const WARM_UP: Duration = Duration::from_millis(500);
const MEASURE: Duration = Duration::from_secs(2);
const ROUNDS: usize = 5;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let bare = bare_tonic().await?;
        let (hub_endpoint, host_cancel, host) = hub().await?;
        let bare_channel = Endpoint::from_shared(bare.clone())?.connect().await?;
        let hub_channel = Endpoint::from_shared(hub_endpoint.clone())?.connect().await?;
        let directory = modkit::directory::DirectoryClient::connect(&hub_endpoint).await?;
        let sdk: Arc<dyn CalculatorApi> =
            Arc::new(CalculatorGrpcClient::through_directory(directory));

        println!(
            "unary Add, {CONCURRENCY} concurrent callers on one connection, {MEASURE:?} per round"
        );
        let mut rows: Vec<(&str, Vec<Figures>)> = vec![
            ("bare tonic", Vec::new()),
            ("grpc-hub", Vec::new()),
            ("grpc-hub via CalculatorGrpcClient", Vec::new()),
        ];
        for _ in 0..ROUNDS {
            rows[0].1.push(measure(raw_caller(&bare_channel)).await);
            rows[1].1.push(measure(raw_caller(&hub_channel)).await);
            rows[2].1.push(measure(sdk_caller(&sdk)).await);
        }
        let median = |figures: &[Figures]| {
            let mut rates: Vec<f64> = figures.iter().map(|f| f.per_second).collect();
            rates.sort_by(f64::total_cmp);
            rates[rates.len() / 2]
        };
        let baseline = median(&rows[0].1);
        println!("{:<36} {:>12} {:>10} {:>10} {:>8}", "server", "req/s", "p50", "p99", "vs median bare");
        for (name, figures) in &rows {
            for (round, f) in figures.iter().enumerate() {
                println!(
                    "{:<36} {:>12.0} {:>10.1?} {:>10.1?} {:>7.1}%   (round {}, {} calls)",
                    name,
                    f.per_second,
                    f.p50,
                    f.p99,
                    100.0 * f.per_second / baseline,
                    round + 1,
                    f.calls
                );
            }
        }
        println!(
            "median of {ROUNDS} rounds: bare tonic {baseline:.0} req/s; grpc-hub {:.0} req/s ({:.1}% of bare); via the SDK client {:.0} req/s ({:.1}%)",
            median(&rows[1].1),
            100.0 * median(&rows[1].1) / baseline,
            median(&rows[2].1),
            100.0 * median(&rows[2].1) / baseline
        );
        host_cancel.cancel();
        host.await??;
        Ok(())
    })
}

type Caller =
    Arc<dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> + Send + Sync>;

fn raw_caller(channel: &Channel) -> Caller {
    let client = CalculatorClient::new(channel.clone());
    Arc::new(move || {
        let mut client = client.clone();
        Box::pin(async move {
            let sum = client
                .add(AddRequest { a: 2, b: 3 })
                .await
                .expect("the call succeeds");
            assert_eq!(sum.into_inner().result, 5);
        })
    })
}

fn sdk_caller(api: &Arc<dyn CalculatorApi>) -> Caller {
    let api = Arc::clone(api);
    Arc::new(move || {
        let api = Arc::clone(&api);
        Box::pin(async move {
            assert_eq!(api.add(2, 3).await, Ok(5));
        })
    })
}

async fn measure(call: Caller) -> Figures {
    common::measure(CONCURRENCY, WARM_UP, MEASURE, move || call()).await
}

async fn bare_tonic() -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let endpoint = format!("http://{}", listener.local_addr()?);
    let server = tonic::transport::Server::builder()
        .add_service(CalculatorService::new(Arc::new(LocalCalculator)).into_server())
        .serve_with_incoming(
            tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true)),
        );
    tokio::spawn(server);
    Ok(endpoint)
}

async fn hub() -> anyhow::Result<(
    String,
    CancellationToken,
    tokio::task::JoinHandle<Result<(), modkit::RegistryError>>,
)> {
    let (builder, hub) = common::hub_and_calculator();
    let config = ModulesConfig::empty().with_module_config(
        "grpc-hub",
        serde_json::json!({ "bind_addr": "127.0.0.1:0" }),
    );
    let cancel = CancellationToken::new();
    let runtime = HostRuntime::new(
        builder.build_topo_sorted()?,
        Arc::new(config),
        DbOptions::None,
        Arc::new(ClientHub::new()),
        cancel.clone(),
        uuid::Uuid::new_v4(),
        None,
    );
    let report = runtime.report();
    let host = tokio::spawn(runtime.run_module_phases());
    anyhow::ensure!(report.wait_ready().await, "the hub host did not start");
    let endpoint = hub
        .bound_endpoint()
        .ok_or_else(|| anyhow::anyhow!("the hub has no endpoint"))?;
    Ok((endpoint, cancel, host))
}
