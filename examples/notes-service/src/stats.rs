//! The `stats` module: counts what happens to notes, for other modules through the
//! ClientHub, and logs the counts every `report_every` until the host stops.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use modkit::config::ConfigTimeout;
use modkit::{CancellationToken, Module, ModuleCtx, anyhow};
use serde::Deserialize;

/// What `stats` offers other modules.
pub trait StatsApi: Send + Sync {
    /// Counts one event.
    fn record(&self, event: NoteEvent);
    /// The counts so far.
    fn counts(&self) -> Counts;
}

/// Something that happened to a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteEvent {
    /// A note was created.
    Created,
    /// A note was replaced.
    Updated,
    /// A note was deleted.
    Deleted,
}

/// How many notes were created, updated and deleted since the host started.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Notes created.
    pub created: u64,
    /// Notes replaced.
    pub updated: u64,
    /// Notes deleted.
    pub deleted: u64,
}

#[derive(Default)]
struct Counters {
    created: AtomicU64,
    updated: AtomicU64,
    deleted: AtomicU64,
}

impl StatsApi for Counters {
    fn record(&self, event: NoteEvent) {
        let counter = match event {
            NoteEvent::Created => &self.created,
            NoteEvent::Updated => &self.updated,
            NoteEvent::Deleted => &self.deleted,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn counts(&self) -> Counts {
        Counts {
            created: self.created.load(Ordering::Relaxed),
            updated: self.updated.load(Ordering::Relaxed),
            deleted: self.deleted.load(Ordering::Relaxed),
        }
    }
}

/// `modules.stats.config`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsConfig {
    /// How often the counts are logged (`"30s"`, `"5m"`; default one minute).
    #[serde(default = "one_minute")]
    pub report_every: ConfigTimeout,
}

fn one_minute() -> ConfigTimeout {
    ConfigTimeout(std::time::Duration::from_secs(60))
}

/// The module.
#[derive(Default)]
#[modkit::module(
    name = "stats",
    client = StatsApi,
    config = StatsConfig,
    capabilities = [stateful]
)]
pub struct Stats {
    counters: Arc<Counters>,
    config: OnceLock<StatsConfig>,
}

#[modkit::async_trait]
impl Module for Stats {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        let _ = self.config.set(ctx.config()?);
        let counters: Arc<dyn StatsApi> = self.counters.clone();
        ctx.client_hub().register::<dyn StatsApi>(counters);
        Ok(())
    }
}

#[modkit::lifecycle(method = "run", stop_timeout = "5s")]
impl Stats {
    async fn run(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        let every = self
            .config
            .get()
            .map_or(one_minute(), |config| config.report_every);
        let mut ticks = tokio::time::interval(every.0);
        ticks.tick().await; // the first tick is immediate; nothing happened yet
        loop {
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                _ = ticks.tick() => {
                    let Counts { created, updated, deleted } = self.counters.counts();
                    modkit::tracing::info!(created, updated, deleted, "notes since start-up");
                }
            }
        }
    }
}
