//! Running a registry through [`HostRuntime`] with every wait bounded.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use modkit::config::ModulesConfig;
use modkit::registry::{ModuleRegistry, RegistryBuilder};
use modkit::runtime::{OopSpawnOptions, RuntimeReportHandle};
use modkit::{
    CancellationToken, ClientHub, DbOptions, HostRuntime, RegistryError, RunMode, RuntimeOptions,
    RuntimeReport,
};
use tokio::task::JoinHandle;

/// How long any fixture waits for anything before it fails the test instead of hanging it.
///
/// Far above what a correct run needs and far below the runtime's 30 s default deadlines, so
/// a test that passes proves nothing waited for a default deadline.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Awaits `future` for at most [`PATIENCE`].
///
/// # Panics
/// With `what` in the message, if `future` does not finish in time.
pub async fn within<F: Future>(what: &str, future: F) -> F::Output {
    match tokio::time::timeout(PATIENCE, future).await {
        Ok(output) => output,
        Err(_) => panic!("gave up after {PATIENCE:?}: {what}"),
    }
}

/// A host under test: a registry, its module config and runtime options.
///
/// ```
/// # #[tokio::main(flavor = "multi_thread", worker_threads = 2)]
/// # async fn main() {
/// use modkit::registry::RegistryBuilder;
/// use modkit_tests::{EventLog, RecordingModule, TestHost, init, start, stop};
///
/// let log = EventLog::new();
/// let mut builder = RegistryBuilder::default();
/// RecordingModule::new("a", &log).stateful().register(&mut builder);
/// let finished = TestHost::new(builder).run_until_ready_then_shut_down().await;
/// finished.result.unwrap();
/// log.assert_order(&[init("a"), start("a"), stop("a")]);
/// # }
/// ```
pub struct TestHost {
    registry: ModuleRegistry,
    config: ModulesConfig,
    options: RuntimeOptions,
    client_hub: Arc<ClientHub>,
    oop: Option<OopSpawnOptions>,
    db: DbOptions,
}

impl TestHost {
    /// A host of the modules registered in `builder`.
    ///
    /// # Panics
    /// If the registry is invalid.
    pub fn new(builder: RegistryBuilder) -> Self {
        let registry = match builder.build_topo_sorted() {
            Ok(registry) => registry,
            Err(error) => panic!("the test's registry is invalid: {error}"),
        };
        Self::from_registry(registry)
    }

    /// A host of an already built registry.
    pub fn from_registry(registry: ModuleRegistry) -> Self {
        Self {
            registry,
            config: ModulesConfig::empty(),
            options: RuntimeOptions::default(),
            client_hub: Arc::new(ClientHub::new()),
            oop: None,
            db: DbOptions::None,
        }
    }

    /// Uses `config` for the modules' sections (`modules.<name>.{config, runtime}`).
    pub fn config(mut self, config: ModulesConfig) -> Self {
        self.config = config;
        self
    }

    /// How the host reaches the modules' databases (default [`DbOptions::None`]).
    pub fn db(mut self, db: DbOptions) -> Self {
        self.db = db;
        self
    }

    /// Uses `client_hub` as the host's ClientHub, for the test to read what modules publish.
    pub fn client_hub(mut self, client_hub: Arc<ClientHub>) -> Self {
        self.client_hub = client_hub;
        self
    }

    /// Replaces the host-wide runtime options.
    pub fn options(mut self, options: RuntimeOptions) -> Self {
        self.options = options;
        self
    }

    /// Runs the out-of-process modules of `oop` in the oop spawn phase.
    pub fn oop(mut self, oop: OopSpawnOptions) -> Self {
        self.oop = Some(oop);
        self
    }

    /// Lets up to `concurrency` modules run a hook side by side.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.options.concurrency = concurrency;
        self
    }

    /// Sets the host-wide start deadline.
    pub fn start_timeout(mut self, timeout: Duration) -> Self {
        self.options.start_timeout = timeout;
        self
    }

    /// Sets the host-wide stop deadline.
    pub fn stop_timeout(mut self, timeout: Duration) -> Self {
        self.options.stop_timeout = timeout;
        self
    }

    /// Spawns `run_module_phases` on a task and returns at once.
    pub fn spawn(self) -> RunningHost {
        self.spawn_in(RunMode::Full)
    }

    /// Runs `run_migration_phases` (pre_init and db only) to its end, bounded.
    pub async fn run_migrations(self) -> Finished {
        self.spawn_in(RunMode::MigrateOnly).finish().await
    }

    fn spawn_in(self, mode: RunMode) -> RunningHost {
        let cancel = CancellationToken::new();
        let runtime = HostRuntime::new(
            self.registry,
            Arc::new(self.config),
            self.db,
            self.client_hub,
            cancel.clone(),
            uuid::Uuid::new_v4(),
            self.oop,
        )
        .with_options(self.options);
        let report = runtime.report();
        let task = tokio::spawn(runtime.run(mode));
        RunningHost {
            cancel,
            report,
            task,
        }
    }

    /// Runs the host until start-up ends; if it became ready, shuts it down.
    pub async fn run_until_ready_then_shut_down(self) -> Finished {
        let host = self.spawn();
        if host.wait_ready().await {
            host.shut_down().await
        } else {
            host.finish().await
        }
    }

    /// Runs the host expecting start-up to fail; never cancels it.
    pub async fn run_expecting_failure(self) -> Finished {
        self.spawn().finish().await
    }
}

impl fmt::Debug for TestHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestHost")
            .field(
                "modules",
                &self
                    .registry
                    .modules()
                    .iter()
                    .map(|m| m.name())
                    .collect::<Vec<_>>(),
            )
            .field("config", &self.config)
            .field("options", &self.options)
            .field("db", &self.db)
            .finish()
    }
}

/// A host whose `run_module_phases` runs on its own task.
#[derive(Debug)]
pub struct RunningHost {
    cancel: CancellationToken,
    report: RuntimeReportHandle,
    task: JoinHandle<Result<(), RegistryError>>,
}

impl RunningHost {
    /// The live report.
    pub fn report(&self) -> &RuntimeReportHandle {
        &self.report
    }

    /// The host's token: cancelling it is what SIGTERM does.
    pub fn cancel_token(&self) -> &CancellationToken {
        &self.cancel
    }

    /// Waits (bounded) until start-up ends: `true` if the host became ready.
    pub async fn wait_ready(&self) -> bool {
        within("waiting for start-up to end", self.report.wait_ready()).await
    }

    /// Cancels the host and waits (bounded) for `run_module_phases` to return.
    pub async fn shut_down(self) -> Finished {
        self.cancel.cancel();
        self.finish().await
    }

    /// Waits (bounded) for `run_module_phases` to return, without cancelling.
    ///
    /// # Panics
    /// If it does not return in time, or the host task panicked.
    pub async fn finish(self) -> Finished {
        let Self { report, task, .. } = self;
        let result = match within("waiting for the host to return", task).await {
            Ok(result) => result,
            Err(join) => panic!("the host task did not complete: {join}"),
        };
        Finished {
            result,
            report: report.snapshot(),
        }
    }
}

/// How a host run ended.
#[derive(Debug)]
pub struct Finished {
    /// What `run_module_phases` returned.
    pub result: Result<(), RegistryError>,
    /// The runtime report when it returned.
    pub report: RuntimeReport,
}

impl Finished {
    /// The error start-up failed with.
    ///
    /// # Panics
    /// If the run succeeded.
    #[track_caller]
    pub fn error(&self) -> &RegistryError {
        match &self.result {
            Ok(()) => panic!(
                "expected the host to fail, but it succeeded; report: {:#?}",
                self.report
            ),
            Err(error) => error,
        }
    }

    /// Asserts that the run succeeded.
    ///
    /// # Panics
    /// With the error and its causes, if it failed.
    #[track_caller]
    pub fn assert_ok(&self) {
        if let Err(error) = &self.result {
            panic!(
                "expected the host to succeed, but it failed: {}",
                crate::error_chain(error)
            );
        }
    }
}
