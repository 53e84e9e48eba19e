//! Whole `main`s: [`run_server`] for a host (command line, layered config, logging and
//! signals) and [`run_oop`] for the child process of an out-of-process module.
//!
//! [`run_server`] is all a host binary needs; linking module crates decides what it runs.
//!
//! * Commands: `run` (default), `migrate`, `check`, `graph --format dot|mermaid|json`,
//!   `config` (the effective config, secrets redacted), each taking `--config FILE`, and
//!   `diff OLD.json NEW.json [--format text|json]`, a breaking-change gate over two
//!   `graph --format json` manifests (exit 0: nothing breaks, 1: something does, 2: bad
//!   input).
//! * Config layers, later ones winning: built-in defaults, then the YAML file (or the
//!   host's bundled config when no `--config` is given), then `MODKIT__...` environment
//!   variables, `__` separating key segments. Module names are kebab-case, so an underscore
//!   in the module-name segment stands for a hyphen:
//!   `MODKIT__MODULES__API_GATEWAY__CONFIG__BIND_ADDR` sets
//!   `modules.api-gateway.config.bind_addr`.
//! * Exit codes: 0 clean shutdown, 1 start-up failure, 2 bad config or usage.
//! * SIGINT or SIGTERM stops the host; a second signal exits at once.

mod cli;
mod database;
mod diff;
mod directory;
mod env_keys;
mod error;
mod host_config;
mod load;
mod logging;
mod manifest;
#[cfg(feature = "oop")]
mod oop;
mod redact;
mod server;
mod signals;
mod telemetry;
mod validate;

pub use cli::{Cli, Command, GraphFormat};
pub use diff::{Change, ChangeKind, DiffFormat, DiffReport};
pub use error::BootstrapError;
pub use host_config::{
    HealthConfig, HostConfig, LogFormat, LoggingConfig, RuntimeConfig, ServerConfig,
};
pub use load::{ConfigSource, LoadedConfig, load_host_config};
pub use logging::init_logging;
#[cfg(feature = "otel")]
pub use logging::init_logging_with_tracing;
pub use manifest::{
    HostManifest, MigrationManifest, ModuleManifest, OperationManifest, ParameterManifest,
    RequestBodyManifest, ResponseManifest, RouteManifest,
};
pub use server::{Server, run_server};
pub(crate) use signals::cancel_on_signal;

#[cfg(all(feature = "oop", feature = "grpc-hub"))]
pub use oop::GrpcDirectory;
#[cfg(feature = "oop")]
pub use oop::{
    NoDirectory, OopBootstrapError, OopDirectory, OopRunOptions, Registered, ServiceRegistration,
    run_oop, run_oop_with,
};
