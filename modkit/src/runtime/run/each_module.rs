//! Running one hook per module across a phase, and recording how each went.

use std::future::Future;

use tracing::Instrument;

use super::{ErrorChain, PhaseRun, Run};
use crate::base::HookFailure;
use crate::base::ModuleId;
use crate::registry::RegistryError;
use crate::report::{HookOutcome, HookReport};
use crate::runtime::scheduler::{HookResult, hook_failed, run_scheduled};
use crate::runtime::{ModuleState, Phase};

impl Run {
    /// The error a failed hook fails its phase with; marks the module failed.
    pub(crate) fn fail_hook(
        &self,
        phase: Phase,
        module: ModuleId,
        failure: HookFailure,
    ) -> RegistryError {
        match failure {
            HookFailure::Cancelled => RegistryError::Cancelled { phase },
            HookFailure::Error(source) => {
                self.handle(module).set_state(ModuleState::Failed);
                RegistryError::Phase {
                    phase,
                    module: self.name(module).to_owned(),
                    source,
                }
            }
        }
    }

    /// Runs `hook` for every participating module in dependency order and records each.
    pub(super) async fn each_module<H, F>(
        &self,
        phase: Phase,
        participates: impl Fn(ModuleId) -> bool,
        concurrency: usize,
        on_failure: impl FnOnce(),
        mut hook: H,
    ) -> PhaseRun
    where
        H: FnMut(ModuleId) -> F,
        F: Future<Output = HookResult>,
    {
        let runs = run_scheduled(
            &self.priority,
            self.edges(),
            |m| participates(ModuleId::from_raw(m)),
            concurrency,
            on_failure,
            hook_failed,
            |m| {
                let m = ModuleId::from_raw(m);
                hook(m).instrument(super::spans::hook(phase, self.name(m)))
            },
        )
        .await;
        // One lock for the whole phase's lines, not one per hook.
        self.report.update(|report| {
            report.reserve_hooks(runs.len());
            for run in &runs {
                report.push_hook(
                    run.module,
                    HookReport {
                        phase,
                        duration: run.output.0,
                        outcome: HookOutcome::of(&run.output.1),
                    },
                );
            }
        });
        let mut result = Ok(());
        let mut succeeded = Vec::with_capacity(runs.len());
        let mut ran = Vec::with_capacity(runs.len());
        for run in runs {
            let m = ModuleId::from_raw(run.module);
            ran.push(m);
            match run.output.1 {
                Ok(()) => succeeded.push(m),
                Err(failure) => {
                    let error = self.fail_hook(phase, m, failure);
                    if result.is_ok() {
                        result = Err(error);
                    } else if !matches!(error, RegistryError::Cancelled { .. }) {
                        tracing::error!(error = %error, cause = %ErrorChain(&error), "another failure in the same phase");
                    }
                }
            }
        }
        PhaseRun {
            result,
            succeeded,
            ran,
        }
    }
}
