//! The phases that call one hook per module: pre_init, init, post_init and start (the db
//! phase is in `db.rs`).

use std::pin::pin;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Run;
use crate::registry::{CapabilityTag, RegistryError, RunnableCap, SystemCap};
use crate::runtime::Phase;
use crate::runtime::hook::{HookLimits, run_hook, run_sync_hook};

impl Run {
    pub(super) async fn pre_init(&mut self) -> Result<(), RegistryError> {
        let sys = self.system_context();
        self.each_module_in_turn(
            Phase::PreInit,
            |m| self.has_capability(m, SystemCap::BIT),
            |m| {
                let system = self.capability::<SystemCap>(m);
                async move {
                    match system {
                        Some(system) => run_sync_hook(|| system.pre_init(sys)),
                        None => (Duration::ZERO, Ok(())),
                    }
                }
            },
        )
        .await
    }

    pub(super) async fn init(&mut self) -> Result<(), RegistryError> {
        let phase = self
            .each_module(
                Phase::Init,
                |_| true,
                self.options.concurrency,
                || {},
                |m| {
                    let module = self.entry(m).core();
                    let ctx = self.ctx(m);
                    let limits = self.hook_limits(m, Phase::Init);
                    let this = &*self;
                    let out_of_process = this.is_out_of_process(m);
                    ctx.handle().scope(async move {
                        if out_of_process {
                            return run_sync_hook(|| this.install_remote_clients(m));
                        }
                        run_hook(module.init(ctx), limits).await
                    })
                },
            )
            .await;
        for &m in &phase.ran {
            self.progress.initialised[m.index()] = true;
        }
        for &m in &phase.succeeded {
            // An out-of-process module is ready once its child is (see `start`).
            if !self.has(m, RunnableCap::BIT) && !self.is_out_of_process(m) {
                self.handle(m).become_ready();
            }
        }
        phase.result
    }

    pub(super) async fn post_init(&mut self) -> Result<(), RegistryError> {
        let sys = self.system_context();
        self.each_module_in_turn(
            Phase::PostInit,
            |m| self.has_capability(m, SystemCap::BIT),
            |m| {
                let system = self.capability::<SystemCap>(m);
                let limits = self.hook_limits(m, Phase::PostInit);
                self.module_ctx(m).handle().scope(async move {
                    match system {
                        Some(system) => run_hook(system.post_init(sys), limits).await,
                        None => (Duration::ZERO, Ok(())),
                    }
                })
            },
        )
        .await
    }

    /// Starts runnable modules. When one fails (or the host is cancelled), the starts still
    /// in flight are told through their token and awaited within their deadlines; those
    /// that come up anyway count as started, so rollback stops them.
    pub(super) async fn start(&mut self) -> Result<(), RegistryError> {
        let abort = self.cancel.child_token();
        let phase = self
            .each_module(
                Phase::Start,
                |m| self.has(m, RunnableCap::BIT) || self.is_out_of_process(m),
                self.options.concurrency,
                || abort.cancel(),
                |m| {
                    let runnable = self.cap_ref::<RunnableCap>(m);
                    let handle = self.handle(m);
                    let token = handle.cancellation_token();
                    let limits = HookLimits {
                        deadline: Some(self.modules[m.index()].deadlines.start),
                        abandon_on: None,
                        watch: Some(self.watch(m, Phase::Start)),
                    };
                    let abort = &abort;
                    let this = &*self;
                    let out_of_process = this.is_out_of_process(m);
                    handle.scope(async move {
                        if out_of_process {
                            let spawn = start_unless_aborted(this.spawn_child(m), token, abort);
                            return run_hook(spawn, limits).await;
                        }
                        let Some(runnable) = runnable else {
                            return (Duration::ZERO, Ok(()));
                        };
                        if abort.is_cancelled() {
                            return (Duration::ZERO, Err(crate::base::HookFailure::Cancelled));
                        }
                        run_hook(
                            start_unless_aborted(runnable.start(token.clone()), token, abort),
                            limits,
                        )
                        .await
                    })
                },
            )
            .await;
        for &m in &phase.ran {
            if self.is_out_of_process(m) {
                // Even a failed spawn may have left a child behind: rollback ends them all.
                self.progress.spawned[m.index()] = true;
                self.progress.oop_spawned = true;
            }
        }
        for &m in &phase.succeeded {
            self.progress.started[m.index()] = true;
            self.handle(m).become_ready();
        }
        phase.result
    }
}

/// Runs `start`; if the phase is aborted meanwhile, cancels the module's token and lets the
/// start finish (within its deadline) rather than dropping it half way.
async fn start_unless_aborted<F>(
    start: F,
    token: &CancellationToken,
    abort: &CancellationToken,
) -> anyhow::Result<()>
where
    F: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut start = pin!(start);
    tokio::select! {
        biased;
        result = &mut start => result,
        () = abort.cancelled() => {
            token.cancel();
            start.await
        }
    }
}
