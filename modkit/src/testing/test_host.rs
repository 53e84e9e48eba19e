use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

use super::TestHostError;
use super::faults::{Fault, FaultPlan};
use super::running::{RunningTestHost, TempHome};
use super::stand_in::StandIn;
use crate::base::Phase;
use crate::client_hub::{ClientHub, ClientScope};
use crate::config::{ConfigProvider, ModulesConfig};
use crate::registry::{RegistryBuilder, closest};
use crate::runtime::{DbOptions, HostRuntime, RuntimeOptions};

/// Built-in servers a test host moves to an ephemeral loopback port unless the test
/// configures an address itself: `(module, key under its config)`.
const SERVERS: [(&str, &str); 2] = [("api-gateway", "bind_addr"), ("grpc-hub", "bind_addr")];

/// Runs a chosen set of linked modules with test config and fake clients.
///
/// * [`with_modules`](Self::with_modules) picks modules by name from those linked into the
///   test binary. A module that a chosen one depends on but that was not chosen is
///   replaced by an empty stand-in, so the test decides what is real and what is faked.
/// * [`client`](Self::client) puts a fake client into the hub before any module runs.
/// * `api-gateway` and `grpc-hub`, when chosen, listen on `127.0.0.1:0` unless the test
///   sets their `bind_addr`.
/// * Modules with a database get embedded SQLite files in a fresh temporary home directory,
///   removed when the host is dropped (or give [`database`](Self::database) your own).
/// * Deadlines default to 10 s, so a hung module fails the test instead of hanging it;
///   [`start`](Self::start) and [`RunningTestHost::stop`] wait at most that long too.
///
/// ```
/// use std::sync::Arc;
/// use modkit::testing::TestHost;
/// # use modkit::{Module, ModuleCtx};
/// # trait Greeter: Send + Sync { fn greet(&self) -> String; }
/// # struct Fake;
/// # impl Greeter for Fake { fn greet(&self) -> String { "hi".into() } }
/// # #[derive(Default)]
/// # #[modkit::module(name = "doc-caller")]
/// # struct Caller;
/// # #[modkit::async_trait]
/// # impl Module for Caller {
/// #     async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
/// #         assert_eq!(ctx.client_hub().get::<dyn Greeter>()?.greet(), "hi");
/// #         Ok(())
/// #     }
/// # }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), modkit::testing::TestHostError> {
/// let host = TestHost::with_modules(["doc-caller"])
///     .module_config("doc-caller", serde_json::json!({ "greeting": "hi" }))
///     .client::<dyn Greeter>(Arc::new(Fake))
///     .start()
///     .await?;
/// let greeter = host.client_hub().get::<dyn Greeter>().unwrap();
/// assert_eq!(greeter.greet(), "hi");
/// host.stop().await?;
/// # Ok(())
/// # }
/// ```
pub struct TestHost {
    builder: RegistryBuilder,
    chosen: Option<Vec<String>>,
    modules: Map<String, Value>,
    hub: Arc<ClientHub>,
    options: RuntimeOptions,
    patience: Duration,
    db: Option<DbOptions>,
    faults: FaultPlan,
    /// Modules to run in a child process, and its program.
    #[cfg(all(feature = "oop", feature = "grpc-hub"))]
    pub(super) out_of_process: Vec<(String, std::path::PathBuf)>,
}

impl TestHost {
    /// Every module linked into the test binary.
    pub fn all_linked() -> Self {
        Self::from_builder(RegistryBuilder::discovered())
    }

    /// Only the named linked modules (plus empty stand-ins for what they depend on).
    pub fn with_modules<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut host = Self::all_linked();
        host.chosen = Some(names.into_iter().map(Into::into).collect());
        host
    }

    /// The modules registered in `builder`, by hand.
    pub fn from_builder(builder: RegistryBuilder) -> Self {
        let patience = Duration::from_secs(10);
        Self {
            builder,
            chosen: None,
            modules: Map::new(),
            hub: Arc::new(ClientHub::new()),
            options: RuntimeOptions {
                start_timeout: patience,
                stop_timeout: patience,
                ..RuntimeOptions::default()
            },
            patience,
            db: None,
            faults: FaultPlan::default(),
            #[cfg(all(feature = "oop", feature = "grpc-hub"))]
            out_of_process: Vec::new(),
        }
    }

    /// Uses `db` for the modules' databases instead of a temporary home directory.
    pub fn database(mut self, db: DbOptions) -> Self {
        self.db = Some(db);
        self
    }

    /// Sets module `name`'s `config` (what `ctx.config::<T>()` reads).
    pub fn module_config(self, name: &str, config: Value) -> Self {
        self.module_key(name, "config", config)
    }

    /// Sets module `name`'s whole section: `config`, `database`, `runtime`.
    pub fn module_section(mut self, name: &str, section: Value) -> Self {
        self.modules.insert(name.to_owned(), section);
        self
    }

    /// Puts `client` into the hub before any module runs.
    pub fn client<T: ?Sized + Send + Sync + 'static>(self, client: Arc<T>) -> Self {
        self.hub.register::<T>(client);
        self
    }

    /// Puts `client` into the hub under `scope` before any module runs.
    pub fn scoped_client<T: ?Sized + Send + Sync + 'static>(
        self,
        scope: ClientScope,
        client: Arc<T>,
    ) -> Self {
        self.hub.register_scoped::<T>(scope, client);
        self
    }

    /// Replaces the runtime options (deadlines, concurrency).
    pub fn options(mut self, options: RuntimeOptions) -> Self {
        self.options = options;
        self
    }

    /// How long [`start`](Self::start) and [`RunningTestHost::stop`] wait (default 10 s).
    pub fn patience(mut self, patience: Duration) -> Self {
        self.patience = patience;
        self
    }

    /// Makes module `module`'s `hook` fail: it returns an error instead of running.
    ///
    /// Faults go into the module hooks ([`Phase::PreInit`], [`Phase::Init`],
    /// [`Phase::PostInit`], [`Phase::Start`], [`Phase::Stop`]); [`start`](Self::start)
    /// refuses one that names no module, a hook the module does not have (`start` of a
    /// module that is not stateful, say) or two faults for one hook, with
    /// [`TestHostError::BadFault`].
    ///
    /// ```
    /// use std::sync::Arc;
    /// use modkit::registry::RegistryBuilder;
    /// use modkit::testing::{TestHost, TestHostError};
    /// use modkit::{Module, ModuleCtx, Phase, RegistryError};
    /// # struct Store;
    /// # #[modkit::async_trait]
    /// # impl Module for Store {
    /// #     async fn init(&self, _: &ModuleCtx) -> anyhow::Result<()> { Ok(()) }
    /// # }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut builder = RegistryBuilder::default();
    /// builder.register_core_with_meta("store", &[], Arc::new(Store));
    /// let error = TestHost::from_builder(builder)
    ///     .fail("store", Phase::Init)
    ///     .start()
    ///     .await
    ///     .unwrap_err();
    /// let TestHostError::Startup(RegistryError::Phase { phase, module, .. }) = error else {
    ///     panic!("not a start-up error: {error}");
    /// };
    /// assert_eq!((phase, module.as_str()), (Phase::Init, "store"));
    /// # }
    /// ```
    pub fn fail(self, module: &str, hook: Phase) -> Self {
        self.inject(module, hook, Fault::Fail)
    }

    /// Makes module `module`'s `hook` panic instead of running; the host catches the panic
    /// as it would a real one (see [`fail`](Self::fail) for the hooks that take faults).
    pub fn panic(self, module: &str, hook: Phase) -> Self {
        self.inject(module, hook, Fault::Panic)
    }

    /// Makes module `module`'s `hook` run only after `pause` on tokio's clock, so with
    /// paused time a test reaches a deadline without waiting for it (see
    /// [`fail`](Self::fail) for the hooks that take faults; `pre_init`, which is
    /// synchronous, cannot pause).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use modkit::registry::{RegistryBuilder, RunnableCap};
    /// use modkit::runtime::RuntimeOptions;
    /// use modkit::testing::{TestHost, TestHostError};
    /// use modkit::{CancellationToken, Module, ModuleCtx, Phase, RunnableCapability};
    /// # struct Server;
    /// # #[modkit::async_trait]
    /// # impl Module for Server {
    /// #     async fn init(&self, _: &ModuleCtx) -> anyhow::Result<()> { Ok(()) }
    /// # }
    /// # #[modkit::async_trait]
    /// # impl RunnableCapability for Server {
    /// #     async fn start(&self, _: CancellationToken) -> anyhow::Result<()> { Ok(()) }
    /// #     async fn stop(&self, _: CancellationToken) -> anyhow::Result<()> { Ok(()) }
    /// # }
    ///
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let server = Arc::new(Server);
    /// let mut builder = RegistryBuilder::default();
    /// builder.register_core_with_meta("server", &[], server.clone());
    /// builder.register::<RunnableCap>("server", server);
    /// let options = RuntimeOptions {
    ///     start_timeout: Duration::from_secs(5),
    ///     ..RuntimeOptions::default()
    /// };
    /// // A minute's pause against a five-second deadline, without waiting a minute.
    /// let error = TestHost::from_builder(builder)
    ///     .options(options)
    ///     .delay("server", Phase::Start, Duration::from_secs(60))
    ///     .start()
    ///     .await
    ///     .unwrap_err();
    /// assert!(matches!(error, TestHostError::Startup(_)), "{error}");
    /// # }
    /// ```
    pub fn delay(self, module: &str, hook: Phase, pause: Duration) -> Self {
        self.inject(module, hook, Fault::Delay(pause))
    }

    /// Makes module `module`'s `hook` never finish: its deadline (or, for `init`, which has
    /// none, the host's cancellation) ends it (see [`fail`](Self::fail) for the hooks that
    /// take faults; `pre_init`, which is synchronous, cannot hang).
    pub fn hang(self, module: &str, hook: Phase) -> Self {
        self.inject(module, hook, Fault::Hang)
    }

    /// Injects `fault` into module `module`'s `hook`; [`fail`](Self::fail),
    /// [`panic`](Self::panic), [`delay`](Self::delay) and [`hang`](Self::hang) name each.
    pub fn inject(mut self, module: &str, hook: Phase, fault: Fault) -> Self {
        self.faults.add(module, hook, fault);
        self
    }

    /// Runs every start-up phase and returns once the host is ready.
    pub async fn start(self) -> Result<RunningTestHost, TestHostError> {
        let Self {
            mut builder,
            chosen,
            mut modules,
            hub,
            options,
            patience,
            db,
            faults,
            #[cfg(all(feature = "oop", feature = "grpc-hub"))]
            out_of_process,
        } = self;
        if let Some(chosen) = chosen {
            choose(&mut builder, &chosen)?;
        }
        faults.apply(&mut builder)?;
        let registry = builder
            .build_topo_sorted()
            .map_err(TestHostError::Registry)?;
        for (server, key) in SERVERS {
            if registry.get_module(server).is_some() {
                set_default(&mut modules, server, key, "127.0.0.1:0");
            }
        }
        #[cfg(all(feature = "oop", feature = "grpc-hub"))]
        super::placement::configure(&out_of_process, &mut modules);
        let config: Arc<dyn ConfigProvider> = Arc::new(ModulesConfig::new(Value::Object(modules)));
        #[cfg(all(feature = "oop", feature = "grpc-hub"))]
        let (oop, children) = match super::placement::spawner(&out_of_process, &config, &hub) {
            Some((oop, children)) => (Some(oop), Some(children)),
            None => (None, None),
        };
        #[cfg(not(all(feature = "oop", feature = "grpc-hub")))]
        let oop = None;
        let (db, home) = match db {
            Some(db) => (db, None),
            None => temporary_database(Arc::clone(&config)),
        };
        let cancel = CancellationToken::new();
        let runtime = HostRuntime::new(
            registry,
            config,
            db,
            Arc::clone(&hub),
            cancel.clone(),
            uuid::Uuid::new_v4(),
            oop,
        )
        .with_options(options);
        let report = runtime.report();
        let task = tokio::spawn(runtime.run_module_phases());
        let mut host = RunningTestHost {
            cancel,
            report,
            hub,
            task: Some(task),
            patience,
            home,
            #[cfg(all(feature = "oop", feature = "grpc-hub"))]
            children,
        };
        match tokio::time::timeout(patience, host.report.wait_ready()).await {
            Ok(true) => Ok(host),
            Ok(false) => Err(match host.join().await {
                Err(TestHostError::Run(error)) => TestHostError::Startup(error),
                Err(other) => other,
                Ok(()) => TestHostError::StoppedBeforeReady,
            }),
            Err(_) => {
                host.cancel.cancel();
                Err(TestHostError::TimedOut {
                    what: "start",
                    patience,
                })
            }
        }
    }
}

/// The error for a module name that is not among `linked`, with the closest name.
pub(super) fn unknown_module(name: &str, linked: &[&str]) -> TestHostError {
    let hint = match closest(name, linked.iter().copied()) {
        Some(close) => format!(" (did you mean `{close}`?)"),
        None => format!("; linked: {}", linked.join(", ")),
    };
    TestHostError::UnknownModule {
        module: name.to_owned(),
        hint,
    }
}

/// Keeps the chosen modules; their unchosen dependencies become stand-ins.
fn choose(builder: &mut RegistryBuilder, chosen: &[String]) -> Result<(), TestHostError> {
    let linked = builder.module_names();
    for name in chosen {
        if !linked.contains(&name.as_str()) {
            return Err(unknown_module(name, &linked));
        }
    }
    let keep = |name: &str| chosen.iter().any(|wanted| wanted == name);
    let missing: BTreeSet<&'static str> = builder
        .cores
        .iter()
        .filter(|core| keep(core.name))
        .flat_map(|core| core.deps.iter().copied())
        .filter(|dep| !keep(dep))
        .collect();
    builder.retain_modules(keep);
    for dep in missing {
        builder.register_core_with_meta(dep, &[], Arc::new(StandIn));
    }
    Ok(())
}

fn set_default(modules: &mut Map<String, Value>, module: &str, key: &str, value: &str) {
    let section = modules
        .entry(module.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(section) = section else {
        return;
    };
    let config = section
        .entry("config".to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(config) = config {
        config
            .entry(key.to_owned())
            .or_insert_with(|| Value::String(value.to_owned()));
    }
}

impl TestHost {
    fn module_key(mut self, name: &str, key: &str, value: Value) -> Self {
        let section = self
            .modules
            .entry(name.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !section.is_object() {
            *section = Value::Object(Map::new());
        }
        if let Value::Object(section) = section {
            section.insert(key.to_owned(), value);
        }
        self
    }
}

impl fmt::Debug for TestHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestHost")
            .field("modules", &self.builder.module_names())
            .field("chosen", &self.chosen)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Embedded SQLite files for every module with a database, under a fresh temporary home
/// directory (created lazily, by the first module that opens its database).
#[cfg(feature = "db")]
fn temporary_database(config: Arc<dyn ConfigProvider>) -> (DbOptions, Option<TempHome>) {
    use crate::db::{DbManager, DbSettings};

    let home = std::env::temp_dir().join(format!("modkit-test-host-{}", uuid::Uuid::new_v4()));
    let manager = DbManager::new(DbSettings::new(&home), config);
    (DbOptions::Manager(Arc::new(manager)), Some(TempHome(home)))
}

#[cfg(not(feature = "db"))]
fn temporary_database(_config: Arc<dyn ConfigProvider>) -> (DbOptions, Option<TempHome>) {
    (DbOptions::None, None)
}
