//! [`run_oop`]: the whole `main` of an out-of-process module's child.

mod directory;
mod error;
#[cfg(feature = "etcd")]
mod etcd_directory;
#[cfg(feature = "grpc-hub")]
mod grpc_directory;
mod lifeline;
mod server;
mod setup;

use std::fmt;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

pub use self::directory::{NoDirectory, OopDirectory, Registered, ServiceRegistration};
pub use self::error::OopBootstrapError;
#[cfg(feature = "grpc-hub")]
pub use self::grpc_directory::GrpcDirectory;
use self::server::ChildGrpcServer;
use self::setup::ChildSetup;
use crate::client_hub::ClientHub;
use crate::contracts::GrpcHubCapability;
use crate::oop::protocol::ready_line;
use crate::registry::RegistryBuilder;
use crate::runtime::{DbOptions, HostRuntime, RuntimeOptions};

/// How [`run_oop_with`] runs the child.
pub struct OopRunOptions {
    /// The child's modules; `None` (the default) takes every module linked into the binary.
    pub modules: Option<RegistryBuilder>,
    /// Where the child registers its services (default: the host's `grpc-hub` directory,
    /// [`GrpcDirectory`]; [`NoDirectory`] without the `grpc-hub` feature).
    pub directory: Arc<dyn OopDirectory>,
    /// How often the child tells the directory it is alive (default 5 s).
    pub heartbeat_interval: Duration,
    /// Deadlines and concurrency of the child's modules.
    pub runtime: RuntimeOptions,
}

impl Default for OopRunOptions {
    fn default() -> Self {
        Self {
            modules: None,
            directory: default_directory(),
            heartbeat_interval: Duration::from_secs(5),
            runtime: RuntimeOptions::default(),
        }
    }
}

#[cfg(feature = "grpc-hub")]
fn default_directory() -> Arc<dyn OopDirectory> {
    Arc::new(GrpcDirectory)
}

#[cfg(not(feature = "grpc-hub"))]
fn default_directory() -> Arc<dyn OopDirectory> {
    Arc::new(NoDirectory)
}

impl fmt::Debug for OopRunOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OopRunOptions")
            .field("heartbeat_interval", &self.heartbeat_interval)
            .field("runtime", &self.runtime)
            .finish_non_exhaustive()
    }
}

/// The whole `main` of an out-of-process module's child, with default options: sets up
/// logging to stderr (which the host forwards), builds an async runtime and runs
/// [`run_oop_with`].
///
/// ```no_run
/// // The child binary of the `calculator` module: link its crate, and
/// fn main() -> Result<(), modkit::bootstrap::OopBootstrapError> {
///     modkit::bootstrap::run_oop()
/// }
/// ```
pub fn run_oop() -> Result<(), OopBootstrapError> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // The host adds the time and the module's name to every line.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        // Once the host is gone stderr is a broken pipe; complaining about it on stderr
        // would panic.
        .log_internal_errors(false)
        .try_init();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(OopBootstrapError::Process)?
        .block_on(run_oop_with(OopRunOptions::default()))
}

/// Runs the child: reads what the host handed it (`MODKIT_DIRECTORY_ENDPOINT`, and the
/// secret file `MODKIT_SECRET_FILE` names, which holds its module's config), runs its
/// modules' lifecycle, serves their gRPC services on an ephemeral loopback port, registers them with the directory, prints
/// its ready line, heartbeats; on SIGTERM, SIGINT or the host's death it deregisters and
/// stops its modules.
pub async fn run_oop_with(options: OopRunOptions) -> Result<(), OopBootstrapError> {
    let setup = ChildSetup::from_env()?;
    let shutdown = CancellationToken::new();
    lifeline::on_signals(&shutdown).map_err(OopBootstrapError::Process)?;
    if setup.lifeline {
        lifeline::on_host_exit(&shutdown).map_err(OopBootstrapError::Process)?;
    }

    let mut builder = options.modules.unwrap_or_else(|| {
        // The binary may link more modules than it runs (a crate of several modules, the
        // built-in servers): the child runs its module and what that depends on.
        let mut builder = RegistryBuilder::discovered();
        builder.retain_with_deps(&setup.config.module);
        builder
    });
    let tls = setup.tls()?;
    let server = ChildGrpcServer::register(&mut builder, tls.clone());
    let registry = builder.build_topo_sorted()?;
    let instance_id = uuid::Uuid::new_v4();
    let stop = CancellationToken::new();
    let runtime = HostRuntime::new(
        registry,
        Arc::new(setup.modules_config()),
        DbOptions::None,
        Arc::new(ClientHub::new()),
        stop.clone(),
        instance_id,
        None,
    )
    .with_options(options.runtime);
    let report = runtime.report();
    let mut modules = tokio::spawn(runtime.run_module_phases());
    let module = setup.config.module.clone();

    let started = tokio::select! {
        ready = report.wait_ready() => ready,
        () = shutdown.cancelled() => false,
    };
    if !started {
        stop.cancel();
        return finish(modules.await);
    }
    let registration = ServiceRegistration {
        module: module.clone(),
        instance_id,
        endpoint: server.bound_endpoint().unwrap_or_default(),
        services: server.services(),
        directory_endpoint: setup.directory_endpoint.clone(),
        secret: setup.secrets.directory_secret.clone(),
        tls,
    };
    let directory = child_directory(&setup, options.directory)?;
    let granted = match directory.register(&registration).await {
        Ok(granted) => granted,
        Err(source) => {
            stop.cancel();
            let _ = modules.await;
            return Err(OopBootstrapError::Directory {
                module,
                directory: registration.directory_endpoint,
                source,
            });
        }
    };
    announce_ready(&registration.endpoint);

    let every = |granted: Registered| {
        granted
            .heartbeat_interval
            .map_or(options.heartbeat_interval, |asked| {
                asked.min(options.heartbeat_interval)
            })
    };
    let mut period = every(granted);
    let mut registered = true;
    let ended_early = loop {
        tokio::select! {
            () = shutdown.cancelled() => break None,
            result = &mut modules => break Some(result),
            () = tokio::time::sleep(period) => {
                let beat = if registered {
                    // A module that failed or whose health check is down is not handed out.
                    let serving = report.module_serving(&module).unwrap_or(true);
                    directory.heartbeat_serving(&registration, serving).await
                } else {
                    directory.register(&registration).await.map(|granted| period = every(granted))
                };
                registered = beat.is_ok();
                if let Err(error) = beat {
                    tracing::warn!(module, error = %error, "directory heartbeat failed; registering again on the next one");
                }
            }
        }
    };
    if let Err(error) = directory.deregister(&registration).await {
        tracing::warn!(module, error = %error, "cannot deregister from the directory");
    }
    stop.cancel();
    match ended_early {
        Some(result) => finish(result),
        None => finish(modules.await),
    }
}

/// Where the child registers: where its host's directory is (the secret file says when
/// that is not the host's own), else `default`.
fn child_directory(
    setup: &ChildSetup,
    default: Arc<dyn OopDirectory>,
) -> Result<Arc<dyn OopDirectory>, OopBootstrapError> {
    let Some(section) = &setup.secrets.directory else {
        return Ok(default);
    };
    let invalid = |reason: String| OopBootstrapError::InvalidVariable {
        variable: crate::oop::protocol::SECRET_FILE_ENV,
        reason,
    };
    #[cfg(feature = "etcd")]
    {
        use crate::directory::DirectoryConfig;
        match DirectoryConfig::from_value(section).map_err(|error| invalid(error.to_string()))? {
            DirectoryConfig::Host => Ok(default),
            DirectoryConfig::Etcd(config) => Ok(Arc::new(etcd_directory::EtcdOopDirectory::new(
                config,
                setup.secrets.host_id.clone().unwrap_or_default(),
            ))),
        }
    }
    #[cfg(not(feature = "etcd"))]
    {
        let backend = section.get("backend").and_then(serde_json::Value::as_str);
        match backend {
            None | Some("host") => Ok(default),
            Some(other) => Err(invalid(format!(
                "the host's directory is `{other}`, but this child was built without modkit's `{other}` cargo feature"
            ))),
        }
    }
}

/// Where the paths of the child's TLS section come from, for errors naming a file's key.
const TLS_SECTION: &str = "modules.grpc-hub.config.tls";

fn announce_ready(endpoint: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", ready_line(endpoint));
    let _ = stdout.flush();
}

fn finish(
    result: Result<Result<(), crate::registry::RegistryError>, tokio::task::JoinError>,
) -> Result<(), OopBootstrapError> {
    match result {
        Ok(result) => Ok(result?),
        Err(error) => Err(OopBootstrapError::Process(std::io::Error::other(error))),
    }
}
