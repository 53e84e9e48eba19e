//! Health checks: once start-up has finished, every in-process module with the `health`
//! capability is checked at once and then every `runtime.health.interval`, each check
//! within `runtime.health.timeout`, until shutdown begins. The runtime report keeps each
//! module's last result; the REST host's `/healthz` and `/readyz` and the gRPC hub's
//! health service read it there.

use std::convert::Infallible;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::time::MissedTickBehavior;

use super::Run;
use crate::base::{ModuleId, panic_message};
use crate::context::ModuleCtx;
use crate::contracts::{Health, HealthCapability};
use crate::registry::HealthCap;

impl Run {
    /// Checks the modules with the `health` capability on the interval; never returns
    /// (the caller drops it when shutdown begins). With no such module, waits forever.
    pub(super) async fn watch_health(&self) -> Infallible {
        let checked: Vec<(ModuleId, &Arc<dyn HealthCapability>)> = self
            .module_ids()
            .filter_map(|m| Some((m, self.cap_ref::<HealthCap>(m)?)))
            .collect();
        if checked.is_empty() {
            return std::future::pending().await;
        }
        let options = self.options.health;
        let mut ticks = tokio::time::interval(options.interval);
        // A round slower than the interval (a check that hangs until its timeout) delays
        // the next round rather than bunching rounds up.
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let mut round: FuturesUnordered<_> = checked
                .iter()
                .map(|&(m, health)| async move {
                    (m, check(&**health, self.ctx(m), options.timeout).await)
                })
                .collect();
            while let Some((m, health)) = round.next().await {
                self.record_check(m, health);
            }
        }
    }

    /// Keeps module `m`'s check result and logs a change of status.
    fn record_check(&self, m: ModuleId, health: Health) {
        let logged = health.clone();
        let previous = self
            .report
            .update(|report| report.record_check(m.raw(), health, Instant::now()));
        let changed = previous
            .as_ref()
            .is_none_or(|previous| previous.as_str() != logged.as_str());
        if !changed {
            return;
        }
        let module = self.name(m);
        match &logged {
            Health::Up if previous.is_some() => {
                tracing::info!(module, "health check: up again");
            }
            Health::Up => {}
            Health::Degraded(reason) => {
                tracing::warn!(module, reason = %reason, "health check: degraded: {reason}");
            }
            Health::Down(reason) => {
                tracing::warn!(module, reason = %reason, "health check: down: {reason}");
            }
        }
    }
}

/// Runs one check within `timeout`; a panic or a timeout is [`Health::Down`] with why.
async fn check(health: &dyn HealthCapability, ctx: &ModuleCtx, timeout: Duration) -> Health {
    let checking = ctx
        .handle()
        .scope(AssertUnwindSafe(health.check(ctx)).catch_unwind());
    match tokio::time::timeout(timeout, checking).await {
        Ok(Ok(health)) => health,
        Ok(Err(panic)) => Health::Down(format!(
            "the health check panicked: {}",
            panic_message(&*panic)
        )),
        Err(_) => Health::Down(format!(
            "the health check did not answer within {timeout:?}"
        )),
    }
}
