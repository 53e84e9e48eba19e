//! The driver seam: what a [`PhaseDriver`](super::driver::PhaseDriver) may ask of a run.
//!
//! Drivers name modules by [`ModuleId`]; a module placed out of process shows none of its
//! capabilities here, since the host runs none of its hooks.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{PhaseRun, Run};
use crate::base::HookFailure;
use crate::base::{ModuleId, Phase};
use crate::context::ModuleCtx;
use crate::oop::OopModuleStatus;
use crate::registry::{CapabilityBits, CapabilityTag, ModuleRegistry, RegistryError};
use crate::report::{HookOutcome, HookReport};
use crate::runtime::hook::HookLimits;
use crate::runtime::{OopSpawnOptions, SystemContext};

impl Run {
    /// Every module, system modules as early as their dependencies allow: the order
    /// one-at-a-time phases call hooks in.
    pub(crate) fn in_priority_order(&self) -> impl Iterator<Item = ModuleId> + '_ {
        self.priority.iter().map(|&m| ModuleId::from_raw(m))
    }

    /// Every module, in dependency order.
    pub(crate) fn module_ids(&self) -> impl Iterator<Item = ModuleId> + use<> {
        (0..self.modules.len()).map(ModuleId::from_index)
    }

    /// The module's name.
    pub(crate) fn module_name(&self, m: ModuleId) -> &'static str {
        self.name(m)
    }

    /// The module's context.
    pub(crate) fn module_ctx(&self, m: ModuleId) -> &ModuleCtx {
        self.ctx(m)
    }

    /// Whether the module has one of the capabilities `bits` (never, out of process).
    pub(crate) fn has_capability(&self, m: ModuleId, bits: CapabilityBits) -> bool {
        self.has(m, bits)
    }

    /// The module's capability tagged `T` (none, out of process).
    pub(crate) fn capability<T: CapabilityTag>(&self, m: ModuleId) -> Option<Arc<T::Trait>> {
        self.cap::<T>(m)
    }

    /// The host's modules.
    pub(crate) fn registry(&self) -> &ModuleRegistry {
        &self.registry
    }

    /// The host's cancellation token: a phase waiting on something outside gives up on it.
    pub(crate) fn cancel_token(&self) -> &CancellationToken {
        &self.cancel
    }

    /// What system modules are handed.
    pub(crate) fn system_context(&self) -> &SystemContext {
        &self.sys
    }

    /// Adds one hook's line to the module's report: for a driver that calls hooks one by
    /// one rather than through [`each_module_in_turn`](Self::each_module_in_turn).
    #[cfg_attr(
        not(any(feature = "rest", feature = "grpc")),
        expect(
            dead_code,
            reason = "the rest and grpc drivers call their hooks one by one"
        )
    )]
    pub(crate) fn record_hook(
        &self,
        phase: Phase,
        m: ModuleId,
        duration: Duration,
        outcome: &Result<(), HookFailure>,
    ) {
        let outcome = HookOutcome::of(outcome);
        self.report.update(|report| {
            report.push_hook(
                m.raw(),
                HookReport {
                    phase,
                    duration,
                    outcome,
                },
            );
        });
    }

    /// Runs `hook` for every module `participates` picks, one at a time, in priority order
    /// and after each module's dependencies, recording each; the phase fails with the first
    /// failure.
    pub(crate) async fn each_module_in_turn<H, F>(
        &self,
        phase: Phase,
        participates: impl Fn(ModuleId) -> bool,
        hook: H,
    ) -> Result<(), RegistryError>
    where
        H: FnMut(ModuleId) -> F,
        F: Future<Output = (Duration, Result<(), HookFailure>)>,
    {
        let run: PhaseRun = self.each_module(phase, participates, 1, || {}, hook).await;
        run.result
    }

    /// What a hook of module `m` in `phase` runs within: the module's deadline for the
    /// phase, the host's cancellation, and the stall watch.
    pub(crate) fn hook_limits(&self, m: ModuleId, phase: Phase) -> HookLimits<'_> {
        HookLimits {
            deadline: self.modules[m.index()].deadlines.of(phase),
            abandon_on: Some(&self.cancel),
            watch: Some(self.watch(m, phase)),
        }
    }

    /// The host's out-of-process backend and the modules it runs, if any.
    pub(crate) fn oop_options(&self) -> Option<&OopSpawnOptions> {
        self.oop.as_ref()
    }

    /// The report state an out-of-process module's backend keeps current: the module's own
    /// when the host links it, else a detached one.
    pub(crate) fn oop_status(&self, module: &str) -> OopModuleStatus {
        match self.module_ids().find(|&m| self.module_name(m) == module) {
            Some(m) => OopModuleStatus::of(self.module_ctx(m).handle().clone()),
            // One small name per configured module and run, kept for the process's life.
            None => OopModuleStatus::detached(Box::leak(module.to_owned().into_boxed_str())),
        }
    }

    /// Whether module `name`'s child was spawned at its place in the start phase.
    pub(crate) fn child_spawned_in_start(&self, name: &str) -> bool {
        self.spawned_in_start(name)
    }

    /// The gRPC hub's directory endpoint once it has bound one; an error without a hub.
    pub(crate) fn directory_endpoint(&self) -> anyhow::Result<Option<String>> {
        self.hub_endpoint()
    }

    /// Notes that children may be running, so that shutdown ends them.
    pub(crate) fn note_children_spawned(&mut self) {
        self.progress.oop_spawned = true;
    }
}
