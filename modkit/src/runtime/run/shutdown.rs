//! The stop phase, at shutdown and on rollback alike: out-of-process children first, then
//! every module in reverse dependency order.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::Run;
use crate::base::ModuleId;
use crate::registry::RunnableCap;
use crate::report::{HookOutcome, HookReport, PhaseReport};
use crate::runtime::hook::{HookLimits, run_hook};
use crate::runtime::scheduler::{HookResult, run_scheduled};
use crate::runtime::{ModuleState, Phase};

impl Run {
    /// Undoes exactly what start-up did. Never fails: a failing or overdue stop is recorded
    /// and logged, and the other modules still stop.
    pub(super) async fn shutdown(&mut self) {
        let began = Instant::now();
        if self.progress.oop_spawned {
            if let Some(oop) = &self.oop {
                let grace = self.options.stop_timeout;
                // The backend owns its grace period; this bound only guards against a
                // backend that ignores it.
                if tokio::time::timeout(grace * 2, oop.backend.stop_all(grace))
                    .await
                    .is_err()
                {
                    tracing::error!(
                        "out-of-process children did not stop within {:?}",
                        grace * 2
                    );
                }
            }
        }
        let this = &*self;
        let reverse: Vec<u32> = this.priority.iter().rev().copied().collect();
        let tokens = StopTokens::for_concurrency(this.options.concurrency);
        let tokens = &tokens;
        let stops = run_scheduled(
            &reverse,
            this.edges().reversed(),
            |m| this.progress.initialised[m as usize],
            this.options.concurrency,
            || {},
            // A failing stop is recorded; the others still stop.
            |_| false,
            |m| this.stop_module(ModuleId::from_raw(m), tokens),
        )
        .await;
        tokens.end();
        // One lock for every module's line, not one per module.
        self.report.update(|report| {
            report.reserve_hooks(stops.len());
            for stop in stops {
                if let Some((duration, outcome)) = stop.output {
                    report.push_hook(
                        stop.module,
                        HookReport {
                            phase: Phase::Stop,
                            duration,
                            outcome: HookOutcome::of(&outcome),
                        },
                    );
                }
            }
            report.phases.push(PhaseReport {
                phase: Phase::Stop,
                duration: began.elapsed(),
                ok: true,
            });
        });
    }

    /// Stops one module within its stop deadline: its token fires, its `stop` runs (if it
    /// started), then its tasks get what is left of the deadline before they are aborted.
    /// Returns how its `stop` went, if it ran one.
    async fn stop_module(&self, m: ModuleId, tokens: &StopTokens) -> Option<HookResult> {
        let handle = self.handle(m);
        let deadline = self.modules[m.index()].deadlines.stop;
        // A module its supervisor stopped for a restart (and did not start again) is not
        // running: it gets no second `stop`.
        let runnable = if self.progress.started[m.index()] && !self.paused.is_paused(m) {
            self.cap_ref::<RunnableCap>(m)
        } else {
            None
        };
        // The clock is read only when there are tasks to time against the deadline; a
        // `stop` hook times itself, and most modules have neither.
        let began = (!handle.tasks().is_empty()).then(Instant::now);
        let failed_before = handle.state() == ModuleState::Failed;
        handle.set_state(ModuleState::Stopping);
        handle.cancel();

        let mut stopped_cleanly = true;
        let mut stop_took = Duration::ZERO;
        let mut stop_line = None;
        if let Some(runnable) = runnable {
            let limits = HookLimits {
                deadline: Some(deadline),
                abandon_on: None,
                watch: Some(self.watch(m, Phase::Stop)),
            };
            let (token, kept) = tokens.token();
            let (elapsed, outcome) = handle.scope(run_hook(runnable.stop(token), limits)).await;
            stop_took = elapsed;
            tokens.finished(kept, outcome.is_err());
            if let Err(failure) = &outcome {
                stopped_cleanly = false;
                tracing::error!(module = self.name(m), failure = ?failure, "stop failed; carrying on with the other modules");
            }
            stop_line = Some((elapsed, outcome));
        }

        let leaked = if handle.tasks().is_empty() {
            Vec::new()
        } else {
            // Without tasks at the start, the time spent so far is the `stop` hook's (tasks
            // it spawned get what is left of the deadline).
            let spent = began.map_or(stop_took, |began| began.elapsed());
            handle.tasks().drain(deadline.saturating_sub(spent)).await
        };
        if !leaked.is_empty() {
            tracing::warn!(
                module = self.name(m),
                tasks = ?leaked,
                "tasks still running at the module's stop deadline were aborted"
            );
            self.report
                .update(|report| report.modules[m.index()].leaked_tasks = leaked);
        }
        handle.set_state(if stopped_cleanly && !failed_before {
            ModuleState::Stopped
        } else {
            ModuleState::Failed
        });
        stop_line
    }
}

/// The tokens `stop` hooks are given: each is not yet cancelled when its hook begins, and
/// fires once the hook is over if it failed (past its deadline it was dropped, and anything
/// it handed the token to learns that time is up).
///
/// Making, handing over, cancelling and dropping a token takes a heap block and five
/// locks; for 5,000 no-op stops that was a third of the stop phase. So when stops run one
/// at a time, consecutive hooks share a token until one fails: a hook that finished in
/// time leaves it live for the next, and whatever it handed the token to learns of the
/// end when the whole stop phase ends. Stops running side by side each get their own, so
/// that one module's deadline never cuts another's stop short.
enum StopTokens {
    /// The token the next stop gets, shared until a stop fails.
    Shared(Mutex<CancellationToken>),
    /// A fresh token for every stop, fired when its hook is over.
    Own,
}

impl StopTokens {
    fn for_concurrency(concurrency: usize) -> Self {
        if concurrency <= 1 {
            Self::Shared(Mutex::new(CancellationToken::new()))
        } else {
            Self::Own
        }
    }

    /// The token for a stop that begins now, and what [`finished`](Self::finished) needs
    /// back when it is over.
    fn token(&self) -> (CancellationToken, Option<CancellationToken>) {
        match self {
            Self::Shared(current) => (lock(current).clone(), None),
            Self::Own => {
                let token = CancellationToken::new();
                (token.clone(), Some(token))
            }
        }
    }

    /// A stop is over; `failed` if it did not succeed.
    fn finished(&self, kept: Option<CancellationToken>, failed: bool) {
        match self {
            Self::Shared(current) if failed => {
                std::mem::take(&mut *lock(current)).cancel();
            }
            Self::Shared(_) => {}
            Self::Own => kept.iter().for_each(CancellationToken::cancel),
        }
    }

    /// The stop phase is over: the shared token fires.
    fn end(&self) {
        if let Self::Shared(current) = self {
            lock(current).cancel();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Each critical section is one clone or swap: a panic cannot leave it half done.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
