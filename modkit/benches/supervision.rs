//! How long a supervised in-process module's restart takes (`modules.NAME.runtime.restart`).
//!
//! Run with: `cargo bench -p modkit --bench supervision`
//!
//! `flaky` is a lifecycle module; `mid` depends on it and `top` on `mid`, both stateful.
//! One run: `flaky`'s task panics, and the clock runs from just before the panic until
//! `top`'s `start` returns (the last dependent ready again): the supervisor's detection,
//! stopping `top` and `mid`, stopping and starting `flaky`, and starting `mid` and `top`.
//! The backoff is configured to zero, so the whole time is beyond it (the target:
//! under 5 ms). Prints the median, fastest and slowest of 20 runs after 5 warm-up runs, on
//! a default multi-threaded tokio runtime.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use modkit::config::ModulesConfig;
use modkit::lifecycle::WithLifecycle;
use modkit::registry::RegistryBuilder;
use modkit::{
    CancellationToken, ClientHub, DbOptions, HostRuntime, Module, ModuleCtx, ReadySignal,
    RunnableCapability,
};
use tokio::sync::{Notify, mpsc};

const RUNS: usize = 20;
const WARM_UP: usize = 5;

/// Panics when `crash` is notified, noting when.
struct Flaky {
    crash: Arc<Notify>,
    crashed_at: Arc<Mutex<Option<Instant>>>,
}

#[modkit::async_trait]
impl Module for Flaky {
    async fn init(&self, _: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::lifecycle(method = "run", await_ready)]
impl Flaky {
    async fn run(&self, cancel: CancellationToken, ready: ReadySignal) -> anyhow::Result<()> {
        ready.notify();
        tokio::select! {
            () = cancel.cancelled() => Ok(()),
            () = self.crash.notified() => {
                *self.crashed_at.lock().unwrap() = Some(Instant::now());
                panic!("crash on demand")
            }
        }
    }
}

/// A stateful dependent; the last one reports each `start`.
struct Dependent {
    started: Option<mpsc::UnboundedSender<Instant>>,
}

#[modkit::async_trait]
impl Module for Dependent {
    async fn init(&self, _: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::async_trait]
impl RunnableCapability for Dependent {
    async fn start(&self, _: CancellationToken) -> anyhow::Result<()> {
        if let Some(started) = &self.started {
            let _ = started.send(Instant::now());
        }
        Ok(())
    }

    async fn stop(&self, _: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {
    // `cargo test --benches` runs every bench binary with `--bench` absent; keep it short.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    // The crashes are on purpose: keep their panic messages out of the figures.
    std::panic::set_hook(Box::new(|_| {}));
    let tokio = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let crash = Arc::new(Notify::new());
    let crashed_at = Arc::new(Mutex::new(None));
    let (started_tx, mut started) = mpsc::unbounded_channel();

    let mut builder = RegistryBuilder::default();
    let flaky = Arc::new(Flaky {
        crash: Arc::clone(&crash),
        crashed_at: Arc::clone(&crashed_at),
    });
    builder.register_core_with_meta("flaky", &[], flaky.clone());
    builder.register_stateful_with_meta("flaky", Arc::new(WithLifecycle::new(flaky)));
    for (name, deps, started) in [
        ("mid", &["flaky"][..], None),
        ("top", &["mid"][..], Some(started_tx)),
    ] {
        let module = Arc::new(Dependent { started });
        builder.register_core_with_meta(name, deps, module.clone());
        builder.register_stateful_with_meta(name, module);
    }
    let registry = builder.build_topo_sorted().expect("a valid graph");
    let config = ModulesConfig::empty().with_module_runtime(
        "flaky",
        serde_json::json!({ "restart": {
            "initial_backoff": "0s",
            "max_backoff": "0s",
            "max_restarts": 1000,
            "stable_after": "0s",
        }}),
    );
    let cancel = CancellationToken::new();
    let host = HostRuntime::new(
        registry,
        Arc::new(config),
        DbOptions::None,
        Arc::new(ClientHub::new()),
        cancel.clone(),
        uuid::Uuid::nil(),
        None,
    );

    let took = tokio.block_on(async {
        let report = host.report();
        let running = tokio::spawn(host.run_module_phases());
        assert!(report.wait_ready().await, "start-up failed");
        started.recv().await.expect("top started");
        let runs = if quick { 1 } else { WARM_UP + RUNS };
        let mut took = Vec::with_capacity(runs);
        for _ in 0..runs {
            crash.notify_one();
            let ready_again = tokio::time::timeout(Duration::from_secs(10), started.recv())
                .await
                .expect("the dependents were not started again within 10 s")
                .expect("top is alive");
            let crashed = crashed_at.lock().unwrap().take().expect("flaky crashed");
            took.push(ready_again - crashed);
        }
        cancel.cancel();
        running
            .await
            .expect("the host task panicked")
            .expect("the host stopped cleanly");
        took
    });
    if quick {
        return;
    }
    let mut measured = took[WARM_UP..].to_vec();
    measured.sort_unstable();
    println!(
        "supervised restart, failure to last dependent ready, {RUNS} runs: median {:?} (fastest {:?}, slowest {:?})",
        measured[RUNS / 2],
        measured[0],
        measured[RUNS - 1]
    );
}
