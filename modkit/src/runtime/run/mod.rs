//! One run of a host: the state start-up builds, the phase loop, and shutdown.

mod grpc;
mod module_hooks;
mod oop;
mod rest;
mod shutdown;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::hook::HookFailure;
use super::options::Deadlines;
use super::report::{HookOutcome, HookReport, HostState, PhaseReport, StartupTable, critical_path};
use super::scheduler::{Edges, run_scheduled};
use super::{
    DbOptions, HostRuntime, ModuleHandle, ModuleState, OopSpawnOptions, Phase, RunMode, RuntimeOptions,
    RuntimeReportHandle, SystemContext,
};
use crate::context::{ModuleContextBuilder, ModuleCtx};
use crate::registry::{CapabilityTag, ModuleEntry, ModuleRegistry, RegistryError};

pub(crate) struct Run {
    registry: ModuleRegistry,
    modules: Vec<ModuleSlot>,
    deps: Vec<Box<[u32]>>,
    dependents: Vec<Box<[u32]>>,
    /// Positions in system-priority order: the order hooks run in.
    priority: Vec<u32>,
    options: RuntimeOptions,
    cancel: CancellationToken,
    sys: SystemContext,
    report: RuntimeReportHandle,
    db_options: DbOptions,
    oop: Option<OopSpawnOptions>,
    progress: Progress,
}

struct ModuleSlot {
    ctx: ModuleCtx,
    deadlines: Deadlines,
}

/// How far start-up got, so that shutdown undoes exactly that.
#[derive(Default)]
struct Progress {
    /// Modules whose `init` began: they may own tasks.
    initialised: Vec<bool>,
    /// Modules whose `start` succeeded: they get `stop`.
    started: Vec<bool>,
    oop_spawned: bool,
}

/// The outcome of one hook phase: its error, and which modules' hooks succeeded.
struct PhaseRun {
    result: Result<(), RegistryError>,
    succeeded: Vec<u32>,
    ran: Vec<u32>,
}

impl Run {
    pub(crate) fn prepare(host: HostRuntime) -> Result<Self, RegistryError> {
        let HostRuntime {
            registry,
            config,
            db_options,
            client_hub,
            cancel,
            instance_id,
            oop,
            options,
            report,
        } = host;
        let contexts = ModuleContextBuilder::new(instance_id, Arc::clone(&config), Arc::clone(&client_hub), cancel.clone());
        let mut modules = Vec::with_capacity(registry.len());
        let mut handles = Vec::with_capacity(registry.len());
        for entry in registry.modules() {
            let deadlines = options
                .deadlines_for(entry.name(), contexts.config().as_ref())
                .map_err(|reason| RegistryError::InvalidModuleSettings {
                    module: entry.name().to_owned(),
                    reason,
                })?;
            // A module's token is its own, not a child of the host's: it fires when the
            // module stops, so dependents wind down before what they depend on.
            let handle = ModuleHandle::new(entry.name(), CancellationToken::new());
            handles.push(Arc::clone(&handle));
            modules.push(ModuleSlot {
                ctx: contexts.with_handle(handle),
                deadlines,
            });
        }
        report.attach_modules(handles);

        let deps: Vec<Box<[u32]>> = registry.modules().iter().map(|m| m.dep_positions.clone()).collect();
        let mut dependents = vec![Vec::new(); deps.len()];
        for (module, module_deps) in deps.iter().enumerate() {
            for &dep in module_deps.iter() {
                dependents[dep as usize].push(u32::try_from(module).unwrap_or(u32::MAX));
            }
        }
        let count = registry.len();
        Ok(Self {
            priority: registry.system_priority_positions().to_vec(),
            sys: SystemContext::new(instance_id, report.clone(), client_hub),
            registry,
            modules,
            deps,
            dependents: dependents.into_iter().map(Vec::into_boxed_slice).collect(),
            options,
            cancel,
            report,
            db_options,
            oop,
            progress: Progress {
                initialised: vec![false; count],
                started: vec![false; count],
                oop_spawned: false,
            },
        })
    }

    pub(crate) async fn execute(mut self, mode: RunMode) -> Result<(), RegistryError> {
        let began = Instant::now();
        if let Err(error) = self.start_up(mode).await {
            tracing::error!(error = %error, cause = %ErrorChain(&error), "start-up failed; rolling back");
            self.shutdown().await;
            self.report.set_host_state(HostState::Failed);
            return Err(error);
        }
        if mode == RunMode::MigrateOnly {
            self.report.set_host_state(HostState::Stopped);
            return Ok(());
        }
        self.finish_start_up(began);
        self.cancel.cancelled().await;
        tracing::info!("shutting down");
        self.report.set_host_state(HostState::Stopping);
        self.shutdown().await;
        self.report.set_host_state(HostState::Stopped);
        Ok(())
    }

    async fn start_up(&mut self, mode: RunMode) -> Result<(), RegistryError> {
        self.check_hosts(mode)?;
        for &phase in mode.phases() {
            if self.cancel.is_cancelled() {
                return Err(RegistryError::Cancelled { phase });
            }
            let began = Instant::now();
            let result = self.run_phase(phase).await;
            let ok = result.is_ok();
            self.report.update(|report| {
                report.phases.push(PhaseReport {
                    phase,
                    duration: began.elapsed(),
                    ok,
                });
            });
            result?;
        }
        Ok(())
    }

    async fn run_phase(&mut self, phase: Phase) -> Result<(), RegistryError> {
        match phase {
            Phase::PreInit => self.pre_init().await,
            Phase::Db => self.migrate().await,
            Phase::Init => self.init().await,
            Phase::PostInit => self.post_init().await,
            Phase::Rest => self.rest(),
            Phase::Grpc => self.grpc().await,
            Phase::Start => self.start().await,
            Phase::OopSpawn => self.spawn_oop().await,
            // Stop is never a start-up phase: `shutdown` runs it.
            Phase::Stop => Ok(()),
        }
    }

    /// REST modules need a REST host and gRPC modules a hub; checked before anything runs.
    fn check_hosts(&self, mode: RunMode) -> Result<(), RegistryError> {
        let holders = |has: &dyn Fn(&ModuleEntry) -> bool| -> Vec<String> {
            self.registry.modules().iter().filter(|m| has(m)).map(|m| m.name().to_owned()).collect()
        };
        #[cfg(feature = "rest")]
        if mode.phases().contains(&Phase::Rest) {
            use crate::registry::{ApiGatewayCap, RestApiCap};
            let modules = holders(&|m| m.caps().has::<RestApiCap>());
            if !modules.is_empty() && holders(&|m| m.caps().has::<ApiGatewayCap>()).is_empty() {
                return Err(RegistryError::RestRequiresHost { modules });
            }
        }
        #[cfg(feature = "grpc")]
        if mode.phases().contains(&Phase::Grpc) {
            use crate::registry::GrpcServiceCap;
            let modules = holders(&|m| m.caps().has::<GrpcServiceCap>());
            if !modules.is_empty() && self.registry.grpc_hub.is_none() {
                return Err(RegistryError::GrpcRequiresHub { modules });
            }
        }
        let _ = (holders, mode);
        Ok(())
    }

    fn finish_start_up(&self, began: Instant) {
        let startup_cost: Vec<Duration> = self.report.update(|report| {
            report.modules.iter().map(|module| module.startup_time()).collect()
        });
        let path = critical_path(&self.deps, &startup_cost);
        self.report.update(|report| {
            report.critical_path = path.iter().map(|&m| self.name(m).to_owned()).collect();
            report.startup_duration = Some(began.elapsed());
        });
        self.report.set_host_state(HostState::Ready);
        if tracing::enabled!(tracing::Level::INFO) {
            let snapshot = self.report.snapshot();
            tracing::info!("start-up complete\n{}", StartupTable(&snapshot));
        }
    }

    fn entry(&self, module: u32) -> &ModuleEntry {
        &self.registry.modules()[module as usize]
    }

    fn name(&self, module: u32) -> &'static str {
        self.entry(module).name()
    }

    fn cap<T: CapabilityTag>(&self, module: u32) -> Option<Arc<T::Trait>> {
        self.entry(module).caps().query::<T>()
    }

    fn ctx(&self, module: u32) -> &ModuleCtx {
        &self.modules[module as usize].ctx
    }

    fn handle(&self, module: u32) -> &Arc<ModuleHandle> {
        self.ctx(module).handle()
    }

    fn edges(&self) -> Edges<'_> {
        Edges {
            waits_for: &self.deps,
            unblocks: &self.dependents,
        }
    }

    /// Adds one hook's line to the module's report.
    fn record(&self, phase: Phase, module: u32, duration: Duration, outcome: &Result<(), HookFailure>) {
        let outcome = HookOutcome::of(outcome);
        self.report.update(|report| {
            report.modules[module as usize].hooks.push(HookReport {
                phase,
                duration,
                outcome,
            });
        });
    }

    /// The error a failed hook fails its phase with; marks the module failed.
    fn fail(&self, phase: Phase, module: u32, failure: HookFailure) -> RegistryError {
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
    async fn each_module<H, F>(
        &self,
        phase: Phase,
        participates: impl Fn(u32) -> bool,
        concurrency: usize,
        on_failure: impl FnOnce(),
        hook: H,
    ) -> PhaseRun
    where
        H: FnMut(u32) -> F,
        F: Future<Output = (Duration, Result<(), HookFailure>)>,
    {
        let runs = run_scheduled(&self.priority, self.edges(), participates, concurrency, on_failure, hook).await;
        let mut result = Ok(());
        let mut succeeded = Vec::with_capacity(runs.len());
        let mut ran = Vec::with_capacity(runs.len());
        for run in runs {
            self.record(phase, run.module, run.elapsed, &run.outcome);
            ran.push(run.module);
            match run.outcome {
                Ok(()) => succeeded.push(run.module),
                Err(failure) => {
                    let error = self.fail(phase, run.module, failure);
                    if result.is_ok() {
                        result = Err(error);
                    } else if !matches!(error, RegistryError::Cancelled { .. }) {
                        tracing::error!(error = %error, cause = %ErrorChain(&error), "another failure in the same phase");
                    }
                }
            }
        }
        PhaseRun { result, succeeded, ran }
    }
}

/// An error's causes, `: `-separated, for logs.
pub(crate) struct ErrorChain<'a>(pub(crate) &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut source = self.0.source();
        let mut first = true;
        while let Some(cause) = source {
            if !first {
                f.write_str(": ")?;
            }
            write!(f, "{cause}")?;
            first = false;
            source = cause.source();
        }
        Ok(())
    }
}
