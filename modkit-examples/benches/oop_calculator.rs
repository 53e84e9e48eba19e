//! Latency of a calculator call from the host to the calculator running out of process:
//! the host runs `grpc-hub` and spawns the real `calculator-oop` binary, a caller takes
//! `dyn CalculatorApi` from the ClientHub (the gRPC client the placement installed) and calls
//! `add` over loopback. Prints figures; asserts nothing but the answers.
//!
//! Run with: cargo bench -p modkit-examples --bench oop_calculator
//!
//! Two shapes: one caller making calls back to back (the latency a single request sees),
//! and `CONCURRENCY` callers sharing the client (throughput, and latency under load).

use std::sync::Arc;
use std::time::Duration;

use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::directory::HostSecret;
use modkit::runtime::OopSpawnOptions;
use modkit::{CancellationToken, ClientHub, ConfigProvider, DbOptions, HostRuntime};
use modkit_examples::calculator::CalculatorApi;

mod common;

const CHILD: &str = env!("CARGO_BIN_EXE_calculator-oop");
const CONCURRENCY: usize = 32;
const WARM_UP: Duration = Duration::from_millis(500);

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once, briefly.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let measure = if quick {
        Duration::from_millis(100)
    } else {
        Duration::from_secs(3)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let cancel = CancellationToken::new();
        let (client_hub, host) = host_with_oop_calculator(cancel.clone()).await?;
        let calculator = client_hub.get::<dyn CalculatorApi>()?;
        println!("calculator.add through the ClientHub to the calculator-oop child, over loopback");
        for callers in [1, CONCURRENCY] {
            let calculator = Arc::clone(&calculator);
            let figures = common::measure(callers, WARM_UP, measure, move || {
                let calculator = Arc::clone(&calculator);
                async move { assert_eq!(calculator.add(2, 3).await, Ok(5)) }
            })
            .await;
            println!(
                "{callers:>3} caller(s): {:>8.0} calls/s   p50 {:>8.1?}   p99 {:>8.1?}   ({} calls)",
                figures.per_second, figures.p50, figures.p99, figures.calls
            );
        }
        cancel.cancel();
        host.await??;
        Ok(())
    })
}

/// `grpc-hub` in the host and `calculator` placed out of process, started; returns the
/// host's ClientHub and the task running the host.
async fn host_with_oop_calculator(
    cancel: CancellationToken,
) -> anyhow::Result<(
    Arc<ClientHub>,
    tokio::task::JoinHandle<Result<(), modkit::RegistryError>>,
)> {
    let (builder, _) = common::hub_and_calculator();

    let modules: Arc<dyn ConfigProvider> = Arc::new(ModulesConfig::new(serde_json::json!({
        "grpc-hub": { "config": { "bind_addr": "127.0.0.1:0" } },
        "calculator": { "runtime": { "type": "oop", "execution": { "binary": CHILD } } },
    })));
    let client_hub = Arc::new(ClientHub::new());
    let secret = HostSecret::generate();
    let backend = LocalProcessBackend::new(Arc::clone(&modules), secret.expose().to_owned());
    client_hub.register::<HostSecret>(Arc::new(secret));
    let runtime = HostRuntime::new(
        builder.build_topo_sorted()?,
        modules,
        DbOptions::None,
        Arc::clone(&client_hub),
        cancel,
        uuid::Uuid::new_v4(),
        Some(OopSpawnOptions {
            modules: vec!["calculator".to_owned()],
            backend: Arc::new(backend),
        }),
    );
    let report = runtime.report();
    let host = tokio::spawn(runtime.run_module_phases());
    if !report.wait_ready().await {
        anyhow::bail!("the host did not start: {:#?}", report.snapshot());
    }
    Ok((client_hub, host))
}
