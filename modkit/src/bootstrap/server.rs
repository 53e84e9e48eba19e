//! `run_server`: a whole host `main`.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use tokio_util::sync::CancellationToken;

use super::manifest::HostManifest;
use super::redact::redact_secrets;
use super::signals::cancel_on_signal;
use super::{
    BootstrapError, Cli, Command, ConfigSource, GraphFormat, HostConfig, init_logging,
    load_host_config,
};
use crate::client_hub::ClientHub;
use crate::config::ModulesConfig;
use crate::registry::{ModuleRegistry, closest};
use crate::runtime::{DbOptions, HostRuntime, RunMode};

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
        let source = match (&cli.config, self.bundled_config) {
            (Some(path), _) => ConfigSource::File(path),
            (None, Some(yaml)) => ConfigSource::Bundled(yaml),
            (None, None) => ConfigSource::None,
        };
        let loaded = load_host_config(source)?;
        let command = cli.command.unwrap_or(Command::Run);
        if matches!(command, Command::Run | Command::Migrate) {
            init_logging(&loaded.config.logging);
        }
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

        let registry = ModuleRegistry::discover_and_build().map_err(BootstrapError::Registry)?;
        check_modules_known(&config, &registry)?;
        let modules = config.modules_config();
        match command {
            Command::Check => {
                check_module_settings(&config, &registry, &modules)?;
                let manifest = HostManifest::of(&registry, &modules);
                print(&format!(
                    "{}config ok: {} modules\n",
                    manifest.to_table(),
                    manifest.modules.len()
                ))
            }
            Command::Graph { format } => {
                let manifest = HostManifest::of(&registry, &modules);
                print(&match format {
                    GraphFormat::Dot => manifest.to_dot(),
                    GraphFormat::Mermaid => manifest.to_mermaid(),
                    GraphFormat::Json => manifest.to_json() + "\n",
                })
            }
            Command::Run => run_host(&config, registry, modules, RunMode::Full),
            Command::Migrate => run_host(&config, registry, modules, RunMode::MigrateOnly),
            Command::Config => Ok(()),
        }
    }
}

/// Builds a tokio runtime and runs the host in `mode` until it stops.
fn run_host(
    config: &HostConfig,
    registry: ModuleRegistry,
    modules: ModulesConfig,
    mode: RunMode,
) -> Result<(), BootstrapError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(BootstrapError::AsyncRuntime)?;
    runtime.block_on(async {
        let cancel = CancellationToken::new();
        tokio::spawn(cancel_on_signal(cancel.clone()));
        let instance_id = config.server.instance_id.unwrap_or_else(uuid::Uuid::new_v4);
        let host = HostRuntime::new(
            registry,
            Arc::new(modules),
            DbOptions::None,
            Arc::new(ClientHub::new()),
            cancel,
            instance_id,
            None,
        )
        .with_options(config.runtime.options());
        host.run(mode).await.map_err(BootstrapError::Startup)?;
        tracing::info!("stopped cleanly");
        Ok(())
    })
}

/// Every name under `modules` must be a linked module.
fn check_modules_known(
    config: &HostConfig,
    registry: &ModuleRegistry,
) -> Result<(), BootstrapError> {
    for name in config.modules.keys() {
        if registry.get_module(name).is_some() {
            continue;
        }
        let known = registry.modules().iter().map(|entry| entry.name());
        let hint = match closest(name, known.clone()) {
            Some(close) => format!(" (did you mean `{close}`?)"),
            None => {
                let mut names: Vec<&str> = known.collect();
                names.sort_unstable();
                format!("; the linked modules are: {}", names.join(", "))
            }
        };
        return Err(BootstrapError::UnknownModule {
            module: name.clone(),
            hint,
        });
    }
    Ok(())
}

/// What the runtime reads per module (deadline overrides) must be readable.
fn check_module_settings(
    config: &HostConfig,
    registry: &ModuleRegistry,
    modules: &ModulesConfig,
) -> Result<(), BootstrapError> {
    let options = config.runtime.options();
    let issues: Vec<String> = registry
        .modules()
        .iter()
        .filter_map(|entry| options.deadlines_for(entry.name(), modules).err())
        .collect();
    if issues.is_empty() {
        Ok(())
    } else {
        Err(BootstrapError::InvalidConfig { issues })
    }
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

/// Prints `error` and its causes to stderr, and to the log when one is set up.
fn report(error: &BootstrapError) {
    let chain = crate::runtime::ErrorChain(error).to_string();
    let text = if chain.is_empty() {
        error.to_string()
    } else {
        format!("{error}: {chain}")
    };
    if tracing::dispatcher::has_been_set() {
        tracing::error!("{text}");
    }
    eprintln!("error: {text}");
}
