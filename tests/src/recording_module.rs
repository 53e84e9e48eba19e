//! A module that records every hook the runtime calls and misbehaves on request.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use modkit::registry::RegistryBuilder;
use modkit::{
    CancellationToken, Module, ModuleCtx, RunnableCapability, SystemCapability, SystemContext,
};
use tokio::sync::Barrier;

use crate::event_log::{Event, EventLog, Hook, Step};
use crate::expect::{called, task_ended};

/// What a [`RecordingModule`]'s hook does after recording its call.
#[derive(Clone, Default)]
enum Behaviour {
    /// Return `Ok(())`.
    #[default]
    Succeed,
    /// Return an error.
    Fail,
    /// Panic.
    Panic,
    /// Never return, ignoring every token.
    Hang,
    /// Wait on the barrier, then return `Ok(())`.
    Wait(Arc<Barrier>),
}

/// How a task spawned by a [`RecordingModule`] reacts to its module stopping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskKind {
    /// Ends when the module's token fires.
    Cooperative,
    /// Ignores cancellation; runs until aborted.
    Stubborn,
}

/// A module that records each hook call into an [`EventLog`] and can be told to fail,
/// panic, hang or wait in any hook.
///
/// Build one, then [`register`](Self::register) it:
///
/// ```
/// use modkit::registry::RegistryBuilder;
/// use modkit_tests::{EventLog, Hook, RecordingModule};
///
/// let log = EventLog::new();
/// let mut builder = RegistryBuilder::default();
/// RecordingModule::new("b", &log).register(&mut builder);
/// RecordingModule::new("a", &log)
///     .deps(&["b"])
///     .stateful()
///     .fail_in(Hook::Start)
///     .register(&mut builder);
/// let registry = builder.build_topo_sorted().unwrap();
/// assert_eq!(registry.modules()[1].name(), "a");
/// ```
///
/// Every module has `init`; [`system`](Self::system) adds `pre_init` and `post_init`,
/// [`stateful`](Self::stateful) adds `start` and `stop`.
pub struct RecordingModule {
    name: &'static str,
    deps: &'static [&'static str],
    system: bool,
    stateful: bool,
    behaviours: HashMap<Hook, Behaviour>,
    tasks: Vec<(&'static str, TaskKind)>,
    log: EventLog,
}

impl RecordingModule {
    /// A module named `name` that records into `log`, with no dependencies and no
    /// capabilities, whose hooks all succeed.
    pub fn new(name: &'static str, log: &EventLog) -> Self {
        Self {
            name,
            deps: &[],
            system: false,
            stateful: false,
            behaviours: HashMap::new(),
            tasks: Vec::new(),
            log: log.clone(),
        }
    }

    /// Depends on the modules named `deps`.
    pub fn deps(mut self, deps: &'static [&'static str]) -> Self {
        self.deps = deps;
        self
    }

    /// Has the `system` capability (`pre_init`, `post_init`, ordered early).
    pub fn system(mut self) -> Self {
        self.system = true;
        self
    }

    /// Has the `stateful` capability (`start`, `stop`).
    pub fn stateful(mut self) -> Self {
        self.stateful = true;
        self
    }

    /// `hook` returns an error.
    pub fn fail_in(self, hook: Hook) -> Self {
        self.behave(hook, Behaviour::Fail)
    }

    /// `hook` panics.
    pub fn panic_in(self, hook: Hook) -> Self {
        self.behave(hook, Behaviour::Panic)
    }

    /// `hook` never returns and ignores its token.
    ///
    /// # Panics
    /// For [`Hook::PreInit`], which is synchronous.
    pub fn hang_in(self, hook: Hook) -> Self {
        assert_ne!(
            hook,
            Hook::PreInit,
            "pre_init is synchronous; it cannot hang without blocking the runtime"
        );
        self.behave(hook, Behaviour::Hang)
    }

    /// `hook` waits on `barrier` before it returns.
    ///
    /// # Panics
    /// For [`Hook::PreInit`], which is synchronous.
    pub fn wait_in(self, hook: Hook, barrier: Arc<Barrier>) -> Self {
        assert_ne!(
            hook,
            Hook::PreInit,
            "pre_init is synchronous; it cannot wait"
        );
        self.behave(hook, Behaviour::Wait(barrier))
    }

    /// `init` spawns (with `ctx.spawn`) a task named `task` that ignores cancellation and
    /// runs until aborted; it records [`task_ended`](crate::task_ended) when dropped.
    pub fn spawn_stubborn_task(mut self, task: &'static str) -> Self {
        self.tasks.push((task, TaskKind::Stubborn));
        self
    }

    /// `init` spawns (with `ctx.spawn`) a task named `task` that ends as soon as the
    /// module's token fires, recording [`task_ended`](crate::task_ended).
    pub fn spawn_cooperative_task(mut self, task: &'static str) -> Self {
        self.tasks.push((task, TaskKind::Cooperative));
        self
    }

    fn behave(mut self, hook: Hook, behaviour: Behaviour) -> Self {
        self.behaviours.insert(hook, behaviour);
        self
    }

    /// Registers the module's core and its capabilities; returns a probe into what the
    /// runtime handed it.
    pub fn register(self, builder: &mut RegistryBuilder) -> Arc<ModuleProbe> {
        let Self {
            name,
            deps,
            system,
            stateful,
            behaviours,
            tasks,
            log,
        } = self;
        let probe = Arc::new(ModuleProbe::default());
        let module = Arc::new(Recorder {
            name,
            behaviours,
            tasks,
            log,
            probe: Arc::clone(&probe),
        });
        builder.register_core_with_meta(name, deps, module.clone());
        if system {
            builder.register_system_with_meta(name, module.clone());
        }
        if stateful {
            builder.register_stateful_with_meta(name, module);
        }
        probe
    }
}

impl fmt::Debug for RecordingModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingModule")
            .field("name", &self.name)
            .field("deps", &self.deps)
            .field("system", &self.system)
            .field("stateful", &self.stateful)
            .field("misbehaves_in", &self.behaviours.keys().collect::<Vec<_>>())
            .field("tasks", &self.tasks)
            .finish_non_exhaustive()
    }
}

/// What the runtime handed a [`RecordingModule`]: its context and its tokens.
#[derive(Debug, Default)]
pub struct ModuleProbe {
    ctx: OnceLock<ModuleCtx>,
    start_token: OnceLock<CancellationToken>,
    stop_token: OnceLock<CancellationToken>,
    stop_token_cancelled_on_entry: OnceLock<bool>,
    aborted_tasks: std::sync::Mutex<Vec<&'static str>>,
}

impl ModuleProbe {
    /// The context `init` received, once `init` was called.
    pub fn ctx(&self) -> Option<&ModuleCtx> {
        self.ctx.get()
    }

    /// The token `start` received, once `start` was called.
    pub fn start_token(&self) -> Option<&CancellationToken> {
        self.start_token.get()
    }

    /// The token `stop` received, once `stop` was called.
    pub fn stop_token(&self) -> Option<&CancellationToken> {
        self.stop_token.get()
    }

    /// Whether `stop`'s token was already cancelled when `stop` was called; `None` if it
    /// was not called.
    pub fn stop_token_was_cancelled_on_entry(&self) -> Option<bool> {
        self.stop_token_cancelled_on_entry.get().copied()
    }

    /// The stubborn tasks that were dropped without finishing (that is, aborted).
    pub fn aborted_tasks(&self) -> Vec<&'static str> {
        self.aborted_tasks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// The registered module behind a [`RecordingModule`].
struct Recorder {
    name: &'static str,
    behaviours: HashMap<Hook, Behaviour>,
    tasks: Vec<(&'static str, TaskKind)>,
    log: EventLog,
    probe: Arc<ModuleProbe>,
}

impl Recorder {
    fn behaviour(&self, hook: Hook) -> Behaviour {
        self.behaviours.get(&hook).cloned().unwrap_or_default()
    }

    /// Records the call, behaves, records the return.
    async fn run(&self, hook: Hook) -> anyhow::Result<()> {
        self.log.record(called(self.name, hook));
        match self.behaviour(hook) {
            Behaviour::Succeed => {}
            Behaviour::Fail => anyhow::bail!("`{}` was told to fail in {hook:?}", self.name),
            Behaviour::Panic => panic!("`{}` was told to panic in {hook:?}", self.name),
            Behaviour::Hang => std::future::pending::<()>().await,
            Behaviour::Wait(barrier) => {
                barrier.wait().await;
            }
        }
        self.returned(hook);
        Ok(())
    }

    fn returned(&self, hook: Hook) {
        self.log.record(Event {
            module: self.name,
            step: Step::Returned(hook),
        });
    }

    fn spawn_tasks(&self, ctx: &ModuleCtx) {
        for &(task, kind) in &self.tasks {
            let guard = TaskGuard {
                module: self.name,
                task,
                kind,
                finished: false,
                log: self.log.clone(),
                probe: Arc::clone(&self.probe),
            };
            let token = ctx.cancellation_token().clone();
            ctx.spawn(task, async move {
                let mut guard = guard;
                match guard.kind {
                    TaskKind::Cooperative => token.cancelled().await,
                    TaskKind::Stubborn => std::future::pending::<()>().await,
                }
                guard.finished = true;
            });
        }
    }
}

/// Records that its task ended, when the task's future is dropped.
struct TaskGuard {
    module: &'static str,
    task: &'static str,
    kind: TaskKind,
    finished: bool,
    log: EventLog,
    probe: Arc<ModuleProbe>,
}

impl Drop for TaskGuard {
    fn drop(&mut self) {
        if !self.finished {
            self.probe
                .aborted_tasks
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(self.task);
        }
        self.log.record(task_ended(self.module, self.task));
    }
}

#[modkit::async_trait]
impl Module for Recorder {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        let _ = self.probe.ctx.set(ctx.clone());
        self.spawn_tasks(ctx);
        self.run(Hook::Init).await
    }
}

#[modkit::async_trait]
impl SystemCapability for Recorder {
    fn pre_init(&self, _sys: &SystemContext) -> anyhow::Result<()> {
        self.log.record(called(self.name, Hook::PreInit));
        match self.behaviour(Hook::PreInit) {
            Behaviour::Fail => anyhow::bail!("`{}` was told to fail in pre_init", self.name),
            Behaviour::Panic => panic!("`{}` was told to panic in pre_init", self.name),
            Behaviour::Succeed | Behaviour::Hang | Behaviour::Wait(_) => {}
        }
        self.returned(Hook::PreInit);
        Ok(())
    }

    async fn post_init(&self, _sys: &SystemContext) -> anyhow::Result<()> {
        self.run(Hook::PostInit).await
    }
}

#[modkit::async_trait]
impl RunnableCapability for Recorder {
    async fn start(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        let _ = self.probe.start_token.set(cancel);
        self.run(Hook::Start).await
    }

    async fn stop(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        let _ = self
            .probe
            .stop_token_cancelled_on_entry
            .set(cancel.is_cancelled());
        let _ = self.probe.stop_token.set(cancel);
        self.run(Hook::Stop).await
    }
}
