//! The `audit` module: an in-memory event log other modules reach through the ClientHub.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use modkit::{Module, ModuleCtx};

/// What the audit module offers to other modules.
pub trait AuditApi: Send + Sync + std::fmt::Debug {
    /// Records one event.
    fn record(&self, source: &str, event: &str);
    /// The most recent events, oldest first.
    fn recent(&self) -> Vec<String>;
}

/// Keeps the last `capacity` events.
#[derive(Debug)]
pub struct MemoryAudit {
    capacity: usize,
    events: Mutex<VecDeque<String>>,
}

impl MemoryAudit {
    /// A log keeping at most `capacity` events.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            events: Mutex::new(VecDeque::new()),
        }
    }
}

impl AuditApi for MemoryAudit {
    fn record(&self, source: &str, event: &str) {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        if events.len() == self.capacity {
            events.pop_front();
        }
        events.push_back(format!("{source}: {event}"));
    }

    fn recent(&self) -> Vec<String> {
        let events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        events.iter().cloned().collect()
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditConfig {
    #[serde(default = "default_capacity")]
    capacity: usize,
}

fn default_capacity() -> usize {
    100
}

/// The module: publishes a [`MemoryAudit`] as `dyn AuditApi` in `init`.
#[derive(Debug, Default)]
#[modkit::module(name = "audit", client = crate::audit::AuditApi, config = AuditConfig)]
pub struct Audit;

#[modkit::async_trait]
impl Module for Audit {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        let config: AuditConfig = ctx.config()?;
        let log: Arc<dyn AuditApi> = Arc::new(MemoryAudit::new(config.capacity));
        ctx.client_hub().register::<dyn AuditApi>(log);
        Ok(())
    }
}
