//! The `ticker` module: a background task that ticks on an interval, written with
//! `#[modkit::lifecycle]`, calling the audit module through the ClientHub.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use modkit::{CancellationToken, Module, ModuleCtx, ReadySignal};

use crate::audit::AuditApi;

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TickerConfig {
    /// Milliseconds between ticks.
    #[serde(default = "default_interval_ms")]
    interval_ms: u64,
}

fn default_interval_ms() -> u64 {
    1_000
}

/// Ticks until the host stops; every tick is recorded in the audit log.
#[derive(Debug, Default)]
#[modkit::module(
    name = "ticker",
    deps = ["audit"],
    capabilities = [stateful],
    config = TickerConfig
)]
pub struct Ticker {
    ticks: AtomicU64,
    wiring: std::sync::OnceLock<Wiring>,
}

#[derive(Debug)]
struct Wiring {
    interval: Duration,
    audit: Arc<dyn AuditApi>,
}

impl Ticker {
    /// How many times it has ticked.
    pub fn ticks(&self) -> u64 {
        self.ticks.load(Ordering::Relaxed)
    }
}

#[modkit::async_trait]
impl Module for Ticker {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        let config: TickerConfig = ctx.config()?;
        anyhow::ensure!(
            config.interval_ms > 0,
            "`modules.ticker.config.interval_ms` must be at least 1"
        );
        let wiring = Wiring {
            interval: Duration::from_millis(config.interval_ms),
            audit: ctx.client_hub().get::<dyn AuditApi>()?,
        };
        self.wiring
            .set(wiring)
            .map_err(|_| anyhow::anyhow!("initialised twice"))?;
        Ok(())
    }
}

#[modkit::lifecycle(method = "run", stop_timeout = "5s", await_ready)]
impl Ticker {
    async fn run(&self, cancel: CancellationToken, ready: ReadySignal) -> anyhow::Result<()> {
        let wiring = self
            .wiring
            .get()
            .ok_or_else(|| anyhow::anyhow!("started before init"))?;
        let mut interval = tokio::time::interval(wiring.interval);
        interval.tick().await;
        wiring.audit.record("ticker", "started");
        ready.notify();
        loop {
            tokio::select! {
                () = cancel.cancelled() => break,
                _ = interval.tick() => {
                    let tick = self.ticks.fetch_add(1, Ordering::Relaxed) + 1;
                    wiring.audit.record("ticker", &format!("tick {tick}"));
                    tracing::info!(tick, "tick");
                }
            }
        }
        wiring.audit.record("ticker", "stopped");
        Ok(())
    }
}
