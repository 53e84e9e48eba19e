//! One run of a host: the state start-up builds, the phase loop, and shutdown.

mod describe;
mod driver;
mod each_module;
mod error_chain;
mod health;
pub(crate) mod kernel_drivers;
mod module_hooks;
mod placement;
mod readiness;
mod seam;
mod shutdown;
mod stall;
mod supervise;

pub(crate) use driver::{PhaseDriver, PhaseDrivers};
pub(crate) use error_chain::ErrorChain;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::dependency_guard::HostDependencies;
use super::options::Deadlines;
use super::scheduler::{Edges, Lists};
use super::{
    HostRuntime, ModuleHandle, OopSpawnOptions, Phase, RunMode, RuntimeOptions,
    RuntimeReportHandle, SystemContext,
};
use crate::base::ModuleId;
use crate::config::ConfigProvider;
use crate::context::{ModuleContextBuilder, ModuleCtx};
use crate::registry::{
    CapabilityBits, CapabilityTag, ModuleEntry, ModuleRegistry, RegistryError, RunnableCap,
    SystemCap,
};
use crate::report::Readiness;
use crate::report::{HostState, PhaseReport, StartupTable, critical_path};
use crate::runtime::restart::RestartSettings;

pub(crate) struct Run {
    registry: ModuleRegistry,
    modules: Vec<ModuleSlot>,
    /// Each module's dependencies by position (shared with the report).
    deps: Arc<[Box<[u32]>]>,
    /// Who depends on each module, as compressed rows (see [`Lists::Rows`]).
    dependent_offsets: Vec<u32>,
    dependents: Vec<u32>,
    /// What the ClientHub asks about, and what modules got from it.
    dependencies: Arc<HostDependencies>,
    /// Positions in system-priority order: the order hooks run in.
    priority: Vec<u32>,
    /// Each module's capabilities as bits, so that a phase picks its modules without
    /// reading every `ModuleEntry`.
    capabilities: Vec<CapabilityBits>,
    /// Modules placed out of process: the host runs none of their hooks (see
    /// [`placement`](self::placement)).
    out_of_process: Vec<bool>,
    options: RuntimeOptions,
    cancel: CancellationToken,
    sys: SystemContext,
    report: RuntimeReportHandle,
    /// The phase table: what each phase does.
    drivers: PhaseDrivers,
    oop: Option<OopSpawnOptions>,
    progress: Progress,
    /// For stall warnings: each module's last phase whose hook finished (see `stall.rs`).
    finished: stall::Finished,
    /// Modules the supervisor stopped for a restart and has not started again.
    paused: supervise::Paused,
}

struct ModuleSlot {
    ctx: ModuleCtx,
    deadlines: Deadlines,
    /// `modules.<name>.runtime.restart` of a supervised in-process module (boxed: most
    /// modules have none).
    restart: Option<Box<RestartSettings>>,
}

/// How far start-up got, so that shutdown undoes exactly that.
#[derive(Default)]
struct Progress {
    /// Modules whose `init` began: they may own tasks.
    initialised: Vec<bool>,
    /// Modules whose `start` succeeded: they get `stop`.
    started: Vec<bool>,
    /// Out-of-process modules whose child was spawned in the start phase.
    spawned: Vec<bool>,
    oop_spawned: bool,
}

/// The outcome of one hook phase: its error, and which modules' hooks succeeded.
struct PhaseRun {
    result: Result<(), RegistryError>,
    succeeded: Vec<ModuleId>,
    ran: Vec<ModuleId>,
}

/// Where the modules of a run execute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placements {
    /// As `modules.<name>.runtime.type` and the host's [`OopSpawnOptions`] say.
    AsConfigured,
    /// Every module in the host, whatever its configured placement: describing a host
    /// runs each module's registration hooks and spawns no child.
    AllInProcess,
}

impl Run {
    pub(crate) fn prepare(
        host: HostRuntime,
        placements: Placements,
    ) -> Result<Self, RegistryError> {
        let HostRuntime {
            mut registry,
            config,
            drivers,
            client_hub,
            cancel,
            instance_id,
            oop,
            options,
            report,
        } = host;
        let contexts = ModuleContextBuilder::new(
            instance_id,
            Arc::clone(&config),
            Arc::clone(&client_hub),
            cancel.clone(),
        );
        let host_contexts = contexts.for_modules(registry.modules().iter().map(|e| e.name()));
        let mut modules = Vec::with_capacity(registry.len());
        let mut capabilities = Vec::with_capacity(registry.len());
        let mut out_of_process = Vec::with_capacity(registry.len());
        let host_deadlines = options.host_deadlines();
        for (entry, ctx) in registry.modules().iter().zip(host_contexts.iter()) {
            // Most modules have no config section: they take the host's placement and
            // deadlines without three lookups of their name (a tenth of a no-op module's
            // cost in `benches/lifecycle.rs`).
            let configured = config.get_module_config(entry.name()).is_some();
            let oop_placed = placements == Placements::AsConfigured
                && (configured || oop.is_some())
                && placement::is_out_of_process(entry.name(), &*config, oop.as_ref())?;
            out_of_process.push(oop_placed);
            // An out-of-process module takes part in no phase through its capabilities.
            capabilities.push(if oop_placed {
                CapabilityBits::NONE
            } else {
                entry.caps().bits()
            });
            let deadlines = if configured {
                options
                    .deadlines_for(entry.name(), contexts.config().as_ref())
                    .map_err(|reason| RegistryError::InvalidModuleSettings {
                        module: entry.name().to_owned(),
                        reason,
                    })?
            } else {
                host_deadlines
            };
            let restart = if configured && !oop_placed {
                supervised(entry, &*config)?
            } else {
                None
            };
            modules.push(ModuleSlot {
                ctx,
                deadlines,
                restart,
            });
        }
        let deps: Arc<[Box<[u32]>]> = registry.take_dep_positions().into();
        report.attach_modules(Arc::clone(host_contexts.modules()), Arc::clone(&deps));
        let optional = readiness::optional_modules(&registry, &*config)?;
        if !optional.is_empty() {
            report.update(|report| {
                for m in optional {
                    report.modules[m].readiness = Readiness::Optional;
                }
            });
        }

        let (dependent_offsets, dependents) = reverse(&deps);
        let dependencies = Arc::new(HostDependencies::new(
            registry
                .modules()
                .iter()
                .map(|entry| entry.name())
                .collect(),
            registry
                .modules()
                .iter()
                .map(|entry| entry.caps().has::<SystemCap>())
                .collect(),
            Arc::clone(&deps),
        ));
        client_hub.install_dependency_guard(Box::new(Arc::clone(&dependencies)));
        let count = registry.len();
        Ok(Self {
            priority: registry.system_priority_positions().to_vec(),
            capabilities,
            out_of_process,
            sys: SystemContext::new(instance_id, report.clone(), client_hub).with_out_of_process(
                match (&oop, placements) {
                    (Some(oop), Placements::AsConfigured) => oop.modules.clone(),
                    _ => Vec::new(),
                },
            ),
            registry,
            modules,
            deps,
            dependent_offsets,
            dependents,
            dependencies,
            options,
            cancel,
            report,
            drivers,
            oop,
            progress: Progress {
                initialised: vec![false; count],
                started: vec![false; count],
                spawned: vec![false; count],
                oop_spawned: false,
            },
            finished: stall::Finished::new(count),
            paused: supervise::Paused::new(count),
        })
    }

    pub(crate) async fn execute(mut self, mode: RunMode) -> Result<(), RegistryError> {
        let began = Instant::now();
        if let Err(error) = self.start_up(mode.phases()).await {
            // The error itself is the caller's to report (`run_server` prints it once).
            match error.phase_and_module() {
                Some((phase, module)) => tracing::warn!(
                    module,
                    phase = phase.as_str(),
                    "start-up failed; stopping the modules already started"
                ),
                None => tracing::warn!("start-up failed; stopping the modules already started"),
            }
            self.shutdown().await;
            self.report.set_host_state(HostState::Failed);
            return Err(error);
        }
        if mode == RunMode::MigrateOnly {
            self.report.set_host_state(HostState::Stopped);
            return Ok(());
        }
        self.finish_start_up(began);
        // Health checks and the supervision of in-process modules run from here until
        // shutdown begins.
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => {}
            never = self.watch_health() => match never {},
            never = self.supervise() => match never {},
        }
        tracing::info!("shutting down");
        self.report.set_host_state(HostState::Stopping);
        self.shutdown().await;
        self.report.set_host_state(HostState::Stopped);
        Ok(())
    }

    async fn start_up(&mut self, phases: &'static [Phase]) -> Result<(), RegistryError> {
        let drivers = Arc::clone(&self.drivers);
        let of_phase = |phase: Phase| drivers.iter().filter(move |driver| driver.phase() == phase);
        // Every misfit is found before any module's hook runs.
        for &phase in phases {
            for driver in of_phase(phase) {
                driver.check(self)?;
            }
        }
        for &phase in phases {
            if self.cancel.is_cancelled() {
                return Err(RegistryError::Cancelled { phase });
            }
            let began = Instant::now();
            let mut result = Ok(());
            for driver in of_phase(phase) {
                result = driver.run(self).await;
                if result.is_err() {
                    break;
                }
            }
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

    /// Whether module `m` has one of the capabilities `bits`.
    fn has(&self, m: ModuleId, bits: CapabilityBits) -> bool {
        self.capabilities[m.index()].intersects(bits)
    }

    fn finish_start_up(&self, began: Instant) {
        let startup_cost: Vec<Duration> = self.report.update(|report| {
            report
                .modules
                .iter()
                .map(|module| module.startup_time())
                .collect()
        });
        let path = critical_path(&self.deps, &startup_cost);
        self.report.update(|report| {
            report.critical_path = path
                .iter()
                .map(|&m| self.name(ModuleId::from_raw(m)).to_owned())
                .collect();
            report.startup_duration = Some(began.elapsed());
        });
        self.report_unused_dependencies();
        self.report.set_host_state(HostState::Ready);
        if tracing::enabled!(tracing::Level::INFO) {
            let snapshot = self.report.snapshot();
            tracing::info!("start-up complete\n{}", StartupTable(&snapshot));
        }
    }

    /// Declared dependencies that provide clients of which the module took none: likely
    /// left over, or the module reaches them some other way.
    fn report_unused_dependencies(&self) {
        for (m, unused) in self.unused_dependencies() {
            tracing::info!(
                module = self.module_name(m),
                deps = ?unused,
                "declared dependencies whose clients the module never got from the ClientHub"
            );
            self.report.update(|report| {
                report.modules[m.index()].unused_deps =
                    unused.iter().map(|&dep| dep.to_owned()).collect();
            });
        }
    }

    /// Each module that declared dependencies providing clients it never got, with them.
    fn unused_dependencies(&self) -> Vec<(ModuleId, Vec<&'static str>)> {
        self.in_priority_order()
            .map(|m| (m, self.dependencies.unused(m.raw())))
            .filter(|(_, unused)| !unused.is_empty())
            .collect()
    }

    fn entry(&self, module: ModuleId) -> &ModuleEntry {
        &self.registry.modules()[module.index()]
    }

    fn name(&self, module: ModuleId) -> &'static str {
        self.entry(module).name()
    }

    /// The module's capability tagged `T`; none for a module placed out of process.
    fn cap<T: CapabilityTag>(&self, module: ModuleId) -> Option<Arc<T::Trait>> {
        self.cap_ref::<T>(module).cloned()
    }

    /// The module's capability tagged `T`, borrowed (no reference-count traffic); none for
    /// a module placed out of process.
    fn cap_ref<T: CapabilityTag>(&self, module: ModuleId) -> Option<&Arc<T::Trait>> {
        if self.is_out_of_process(module) {
            return None;
        }
        T::slot(self.entry(module).caps()).as_ref()
    }

    /// Whether module `m` runs in a child process rather than in the host.
    fn is_out_of_process(&self, m: ModuleId) -> bool {
        self.out_of_process[m.index()]
    }

    fn ctx(&self, module: ModuleId) -> &ModuleCtx {
        &self.modules[module.index()].ctx
    }

    fn handle(&self, module: ModuleId) -> &ModuleHandle {
        self.ctx(module).handle()
    }

    fn edges(&self) -> Edges<'_> {
        Edges {
            waits_for: Lists::Boxed(&self.deps),
            unblocks: Lists::Rows {
                offsets: &self.dependent_offsets,
                items: &self.dependents,
            },
        }
    }
}

/// The restart settings of in-process module `entry`, if its section has
/// `runtime.restart`; an error names the key when they are malformed or the module has no
/// `start`/`stop` to restart.
fn supervised(
    entry: &ModuleEntry,
    config: &dyn ConfigProvider,
) -> Result<Option<Box<RestartSettings>>, RegistryError> {
    let invalid = |reason: String| RegistryError::InvalidModuleSettings {
        module: entry.name().to_owned(),
        reason,
    };
    let Some(settings) = RuntimeOptions::restart_for(entry.name(), config).map_err(invalid)? else {
        return Ok(None);
    };
    if !entry.caps().has::<RunnableCap>() {
        return Err(invalid(format!(
            "`modules.{}.runtime.restart` is set, but the module is not stateful: it has no `start` and `stop` to restart",
            entry.name()
        )));
    }
    Ok(Some(Box::new(settings)))
}

/// Who depends on each module, as compressed rows: `(offsets, dependents)`, module `i`'s
/// dependents (ascending) being `dependents[offsets[i]..offsets[i + 1]]`.
fn reverse(deps: &[Box<[u32]>]) -> (Vec<u32>, Vec<u32>) {
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let mut offsets = vec![0u32; deps.len() + 1];
    for &dep in deps.iter().flat_map(|d| d.iter()) {
        offsets[dep as usize + 1] += 1;
    }
    for i in 0..deps.len() {
        offsets[i + 1] += offsets[i];
    }
    let mut next = offsets.clone();
    let mut dependents = vec![0u32; offsets[deps.len()] as usize];
    for (module, module_deps) in deps.iter().enumerate() {
        for &dep in module_deps.iter() {
            dependents[next[dep as usize] as usize] = to_u32(module);
            next[dep as usize] += 1;
        }
    }
    (offsets, dependents)
}
