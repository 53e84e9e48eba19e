//! `run_server`: a whole host `main`.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use tokio_util::sync::CancellationToken;

use super::database::db_options;
use super::manifest::HostManifest;
use super::redact::redact_secrets;
use super::signals::cancel_on_signal;
use super::validate::validate_host;
use super::{
    BootstrapError, Cli, Command, ConfigSource, GraphFormat, HostConfig, init_logging,
    load_host_config,
};
use crate::client_hub::ClientHub;
use crate::config::ConfigProvider;
use crate::registry::ModuleRegistry;
use crate::runtime::{DbOptions, HostApi, HostRuntime, RunMode};

/// A host's whole `main`: parses the command line, loads the config, sets up logging and
/// runs the chosen command. Exits 0 on a clean shutdown, 1 when start-up fails, 2 on bad
/// config or usage.
///
/// ```no_run
/// // Linking a crate registers its modules.
/// fn main() -> std::process::ExitCode {
///     modkit::bootstrap::run_server()
/// }
/// ```
pub fn run_server() -> ExitCode {
    Server::new().run()
}

/// [`run_server`] with settings: a bundled default config, for one.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     modkit::bootstrap::Server::new()
///         .bundled_config("modules:\n  audit:\n    config: { capacity: 50 }\n")
///         .run()
/// }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Server {
    bundled_config: Option<&'static str>,
}

impl Server {
    /// A server with no bundled config: without `--config`, only defaults and the
    /// environment apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// YAML used when no `--config FILE` is given (usually `include_str!` of the host's
    /// own config file, so the binary runs from any directory).
    pub fn bundled_config(mut self, yaml: &'static str) -> Self {
        self.bundled_config = Some(yaml);
        self
    }

    /// Parses the process's arguments and runs; prints any error to stderr.
    pub fn run(self) -> ExitCode {
        // `parse` prints usage errors and exits with status 2 itself.
        let cli = Cli::parse();
        match self.run_cli(cli) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                report(&error);
                error.exit_code()
            }
        }
    }

    /// Runs `cli`'s command.
    pub fn run_cli(self, cli: Cli) -> Result<(), BootstrapError> {
        // A child's config comes from its host, not from YAML: see `run_oop`.
        #[cfg(feature = "oop")]
        if let Some(Command::OopChild) = cli.command {
            return super::run_oop().map_err(BootstrapError::OopChild);
        }
        // Comparing two manifests needs no config and no modules.
        if let Some(Command::Diff { old, new, format }) = &cli.command {
            return super::diff::run(old, new, *format, print);
        }
        let source = match (&cli.config, self.bundled_config) {
            (Some(path), _) => ConfigSource::File(path),
            (None, Some(yaml)) => ConfigSource::Bundled(yaml),
            (None, None) => ConfigSource::None,
        };
        let loaded = load_host_config(source)?;
        let command = cli.command.unwrap_or(Command::Run);
        // Running needs the async runtime before logging: the span exporter runs on it.
        let running = if matches!(command, Command::Run | Command::Migrate) {
            Some(Running::set_up(&loaded.config)?)
        } else {
            None
        };
        for key in &loaded.unknown_keys {
            warn(&format!("unknown top-level config key `{key}` is ignored"));
        }
        let config = loaded.config;
        if let Command::Config = command {
            let mut effective =
                serde_json::to_value(&config).map_err(|error| BootstrapError::InvalidConfig {
                    issues: vec![error.to_string()],
                })?;
            redact_secrets(&mut effective);
            let text = serde_json::to_string_pretty(&effective).unwrap_or_default();
            return print(&(text + "\n"));
        }

        super::directory::configured(&config)?;
        super::telemetry::check(&config)?;
        let registry = ModuleRegistry::discover_and_build().map_err(BootstrapError::Registry)?;
        let modules: Arc<dyn ConfigProvider> = Arc::new(config.modules_config());
        let db = db_options(&config, Arc::clone(&modules))?;
        validate_host(&config, &registry, modules.as_ref(), &db)?;
        match command {
            Command::Check => {
                let manifest = HostManifest::of(&registry, modules.as_ref());
                print(&format!(
                    "{}config ok: {} modules\n",
                    manifest.to_table(),
                    manifest.modules.len()
                ))
            }
            Command::Graph { format } => {
                let manifest = HostManifest::of(&registry, modules.as_ref());
                print(&match format {
                    GraphFormat::Dot => manifest.to_dot(),
                    GraphFormat::Mermaid => manifest.to_mermaid(),
                    GraphFormat::Json => {
                        let (api, openapi) = describe_host(&config, registry, modules, db)?;
                        let manifest = manifest.with_api(&api);
                        let manifest = match openapi {
                            Some(document) => manifest.with_openapi(&document),
                            None => manifest,
                        };
                        manifest.to_json() + "\n"
                    }
                })
            }
            Command::Run | Command::Migrate => {
                let mode = match command {
                    Command::Migrate => RunMode::MigrateOnly,
                    _ => RunMode::Full,
                };
                let Some(running) = running else {
                    return Ok(());
                };
                let result = run_host(&running.runtime, &config, registry, modules, db, mode);
                running.finish();
                result
            }
            Command::Config | Command::Diff { .. } => Ok(()),
            #[cfg(feature = "oop")]
            Command::OopChild => Ok(()),
        }
    }
}

/// What `run` and `migrate` run on: the async runtime, and the logging (with the span
/// exporter when tracing is on) set up on it.
struct Running {
    runtime: tokio::runtime::Runtime,
    #[cfg(feature = "otel")]
    tracing: Option<crate::telemetry::otel::TracingGuard>,
}

impl Running {
    fn set_up(config: &HostConfig) -> Result<Self, BootstrapError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(BootstrapError::AsyncRuntime)?;
        let settings = crate::telemetry::otel::TracingConfig::enabled_in(&config.telemetry)
            .map_err(|error| BootstrapError::InvalidConfig {
                issues: vec![error.to_string()],
            })?;
        #[cfg(feature = "otel")]
        if let Some(settings) = settings {
            let _entered = runtime.enter();
            let guard = super::init_logging_with_tracing(&config.logging, &settings, Vec::new())
                .map_err(|error| BootstrapError::InvalidConfig {
                    issues: vec![error.to_string()],
                })?;
            tracing::info!(
                endpoint = settings.otlp.endpoint(),
                protocol = ?settings.otlp.protocol,
                "exporting traces over OTLP"
            );
            return Ok(Self {
                runtime,
                tracing: guard,
            });
        }
        // Without the `otel` feature an enabled section fails `validate_host`, naming it.
        #[cfg(not(feature = "otel"))]
        let _ = settings;
        init_logging(&config.logging);
        Ok(Self {
            runtime,
            #[cfg(feature = "otel")]
            tracing: None,
        })
    }

    /// Sends the last spans (while the runtime still runs the exporter), then ends.
    fn finish(self) {
        #[cfg(feature = "otel")]
        if let Some(guard) = self.tracing {
            guard.shutdown();
        }
        drop(self.runtime);
    }
}

/// Runs the host in `mode` on `runtime` until it stops.
fn run_host(
    runtime: &tokio::runtime::Runtime,
    config: &HostConfig,
    registry: ModuleRegistry,
    modules: Arc<dyn ConfigProvider>,
    db: DbOptions,
    mode: RunMode,
) -> Result<(), BootstrapError> {
    runtime.block_on(async {
        let cancel = CancellationToken::new();
        tokio::spawn(cancel_on_signal(cancel.clone()));
        let instance_id = config.server.instance_id.unwrap_or_else(uuid::Uuid::new_v4);
        let client_hub = Arc::new(ClientHub::new());
        // Before any module runs: an unreachable directory fails start-up at once.
        let _directory = if mode == RunMode::Full {
            super::directory::start(config, &client_hub).await?
        } else {
            super::directory::RunningDirectory::default()
        };
        if mode == RunMode::Full {
            super::telemetry::start(config, &client_hub, &db)?;
        }
        let oop = oop_options(config, &modules, &client_hub, instance_id)?;
        let hub = Arc::clone(&client_hub);
        let host = HostRuntime::new(registry, modules, db, client_hub, cancel, instance_id, oop)
            .with_options(config.runtime.options());
        if mode == RunMode::Full {
            let report = host.report();
            tokio::spawn(async move {
                if report.wait_ready().await {
                    log_addresses(&hub);
                }
            });
        }
        host.run(mode).await.map_err(BootstrapError::Startup)?;
        tracing::info!("stopped cleanly");
        Ok(())
    })
}

/// The REST routes and gRPC services of the host's modules, from their registration hooks
/// run in this process (see [`HostRuntime::describe`]), and the REST host's OpenAPI
/// document as JSON when it is the built-in `api-gateway`; nothing serves, no child starts.
fn describe_host(
    config: &HostConfig,
    registry: ModuleRegistry,
    modules: Arc<dyn ConfigProvider>,
    db: DbOptions,
) -> Result<(HostApi, Option<serde_json::Value>), BootstrapError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(BootstrapError::AsyncRuntime)?;
    runtime.block_on(async {
        let instance_id = config.server.instance_id.unwrap_or_else(uuid::Uuid::new_v4);
        let client_hub = Arc::new(ClientHub::new());
        let host = HostRuntime::new(
            registry,
            modules,
            db,
            Arc::clone(&client_hub),
            CancellationToken::new(),
            instance_id,
            None,
        )
        .with_options(config.runtime.options());
        let api = host.describe().await.map_err(BootstrapError::Startup)?;
        Ok((api, openapi_document(&client_hub)))
    })
}

/// The OpenAPI document the `api-gateway` finalised in the rest phase, as JSON.
#[cfg(feature = "api-gateway")]
fn openapi_document(client_hub: &ClientHub) -> Option<serde_json::Value> {
    let gateway = client_hub
        .get::<crate::api_gateway::ApiGatewayHandle>()
        .ok()?;
    serde_json::to_value(gateway.openapi()?).ok()
}

#[cfg(not(feature = "api-gateway"))]
fn openapi_document(_client_hub: &ClientHub) -> Option<serde_json::Value> {
    None
}

/// Once the host is ready: where to reach it.
fn log_addresses(client_hub: &ClientHub) {
    #[cfg(feature = "api-gateway")]
    if let Some(addr) = client_hub
        .get::<crate::api_gateway::ApiGatewayHandle>()
        .ok()
        .and_then(|gateway| gateway.local_addr())
    {
        tracing::info!(
            "REST: http://{addr}/  docs: http://{addr}/docs  health: http://{addr}/readyz"
        );
    }
    #[cfg(feature = "grpc-hub")]
    if let Ok(access) = client_hub.get::<crate::directory::DirectoryAccess>() {
        tracing::info!("gRPC: {}", access.endpoint);
    }
    let _ = client_hub;
}

/// The out-of-process modules of `config`, run as child processes of this host.
#[cfg(feature = "oop")]
fn oop_options(
    config: &HostConfig,
    modules: &Arc<dyn ConfigProvider>,
    client_hub: &Arc<ClientHub>,
    instance_id: uuid::Uuid,
) -> Result<Option<crate::runtime::OopSpawnOptions>, BootstrapError> {
    let names =
        crate::oop::configured_oop_modules(&serde_json::Value::Object(config.modules.clone()))
            .map_err(|error| BootstrapError::InvalidConfig {
                issues: vec![error.to_string()],
            })?;
    if names.is_empty() {
        return Ok(None);
    }
    // The per-host secret children present to the directory; the gRPC hub adopts it
    // from the ClientHub in its `pre_init`.
    let secret = host_secret(client_hub);
    // Children register where the host's directory is.
    let options = crate::backends::LocalProcessOptions {
        directory: super::directory::configured(config)?,
        host_id: Some(instance_id.to_string()),
        tls: mutual_tls(config),
        telemetry: (!config.telemetry.is_null()).then(|| config.telemetry.clone()),
        ..crate::backends::LocalProcessOptions::default()
    };
    let backend =
        crate::backends::LocalProcessBackend::with_options(Arc::clone(modules), secret, options);
    Ok(Some(crate::runtime::OopSpawnOptions {
        modules: names,
        backend: Arc::new(backend),
    }))
}

/// The `grpc-hub`'s `tls` section when it requires client certificates: the host and its
/// children then speak mutual TLS with it (paths only; children read the files).
#[cfg(feature = "oop")]
fn mutual_tls(config: &HostConfig) -> Option<serde_json::Value> {
    let tls = config.modules.get("grpc-hub")?.get("config")?.get("tls")?;
    tls.get("client_ca_file")?;
    Some(tls.clone())
}

/// A fresh per-host secret, registered in `client_hub` for the gRPC hub to serve.
#[cfg(all(feature = "oop", feature = "grpc-hub"))]
fn host_secret(client_hub: &ClientHub) -> String {
    let secret = crate::directory::HostSecret::generate();
    let text = secret.expose().to_owned();
    client_hub.register::<crate::directory::HostSecret>(Arc::new(secret));
    text
}

/// Without the built-in hub the directory is someone else's; the secret is still private.
#[cfg(all(feature = "oop", not(feature = "grpc-hub")))]
fn host_secret(_client_hub: &ClientHub) -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(not(feature = "oop"))]
fn oop_options(
    _config: &HostConfig,
    _modules: &Arc<dyn ConfigProvider>,
    _client_hub: &Arc<ClientHub>,
    _instance_id: uuid::Uuid,
) -> Result<Option<crate::runtime::OopSpawnOptions>, BootstrapError> {
    Ok(None)
}

fn print(text: &str) -> Result<(), BootstrapError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(BootstrapError::Output)
}

fn warn(message: &str) {
    if tracing::dispatcher::has_been_set() {
        tracing::warn!("{message}");
    } else {
        eprintln!("warning: {message}");
    }
}

/// Prints `error` and its causes once: to the log when one is set up (it writes to stderr),
/// else to stderr.
fn report(error: &BootstrapError) {
    let chain = crate::runtime::ErrorChain(error).to_string();
    let text = if chain.is_empty() {
        error.to_string()
    } else {
        format!("{error}: {chain}")
    };
    if tracing::dispatcher::has_been_set() {
        tracing::error!("{text}");
    } else {
        eprintln!("error: {text}");
    }
}
