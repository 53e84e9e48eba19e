//! The host's configuration file, typed.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::config::{ConfigDuration, ConfigTimeout, ModulesConfig};
use crate::runtime::{HealthOptions, RuntimeOptions};

/// The whole host configuration: what `--config FILE`, the built-in defaults and the
/// `MODKIT__...` environment variables add up to.
///
/// ```yaml
/// server:
///   home_dir: ~/.modkit      # data of the host: embedded databases, ...
/// logging:
///   level: info              # RUST_LOG wins when set
///   format: human            # or json
/// runtime:
///   db_timeout: 10m          # each module's migrations
///   init_timeout: 60s
///   post_init_timeout: 60s
///   start_timeout: 30s
///   stop_timeout: 30s
///   stall_warning: 5s        # log a hook still running after this, and again every 5s; 0 = off
///   concurrency: 1
///   health: { interval: 10s, timeout: 2s }
/// database:
///   servers: {}              # named database servers modules can refer to
/// directory:
///   backend: host            # or etcd, with endpoints, prefix, ttl, ...
/// telemetry:
///   tracing: { enabled: false }  # OpenTelemetry traces (the `otel` feature)
///   metrics: { enabled: true }  # GET /metrics; bind_addr for a listener of its own
/// modules:
///   users:
///     config: { page_size: 50 }
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct HostConfig {
    /// Where the host keeps its data, and which instance it is.
    pub server: ServerConfig,
    /// Log level and format.
    pub logging: LoggingConfig,
    /// Host-wide runtime settings.
    pub runtime: RuntimeConfig,
    /// Database servers, by name (read by the database layer).
    pub database: Value,
    /// Where instances register and callers resolve them: `backend: host` (the default,
    /// when absent) or `etcd` (read by the directory layer, `DirectoryConfig`).
    pub directory: Value,
    /// What the host tells about itself: `tracing` (read by `telemetry::otel::TracingConfig`)
    /// and `metrics` (Prometheus, read by `modkit::telemetry::metrics::MetricsConfig`).
    pub telemetry: Value,
    /// One section per module: `config`, `database`, `runtime`.
    pub modules: serde_json::Map<String, Value>,
}

/// The `server` section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The host's data directory; a leading `~` is the user's home (default `~/.modkit`).
    pub home_dir: PathBuf,
    /// This host's instance id; a new one is drawn at every start when unset.
    pub instance_id: Option<Uuid>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            home_dir: PathBuf::from("~/.modkit"),
            instance_id: None,
        }
    }
}

/// The `logging` section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct LoggingConfig {
    /// A tracing filter such as `info` or `info,modkit=debug`; `RUST_LOG` overrides it.
    pub level: String,
    /// How log lines look.
    pub format: LogFormat,
}

impl Default for LoggingConfig {
    fn default() -> Self {
        Self {
            level: "info".to_owned(),
            format: LogFormat::Human,
        }
    }
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Human,
    /// One JSON object per event, for log collectors.
    Json,
}

/// The `runtime` section: [`RuntimeOptions`] as written in a config file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RuntimeConfig {
    /// How long a module's migrations may take (default `10m`; never zero).
    pub db_timeout: ConfigTimeout,
    /// How long a module's `init` may take (default `60s`; never zero).
    pub init_timeout: ConfigTimeout,
    /// How long a system module's `post_init` may take (default `60s`; never zero).
    pub post_init_timeout: ConfigTimeout,
    /// How long a module's `start` may take (default `30s`; never zero).
    pub start_timeout: ConfigTimeout,
    /// How long a module's `stop` may take (default `30s`; never zero).
    pub stop_timeout: ConfigTimeout,
    /// After how long a hook still running is logged as stalled, and how often again
    /// (default `5s`; `0` turns the warnings off).
    pub stall_warning: ConfigDuration,
    /// How many modules may run a hook side by side (default 1).
    pub concurrency: usize,
    /// How modules with the `health` capability are polled.
    pub health: HealthConfig,
}

/// The `runtime.health` section: [`HealthOptions`] as written in a config file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct HealthConfig {
    /// Time between two checks of a module (default `10s`; never zero).
    pub interval: ConfigTimeout,
    /// How long a check may take before the module counts as down (default `2s`; never zero).
    pub timeout: ConfigTimeout,
}

impl Default for HealthConfig {
    fn default() -> Self {
        let defaults = HealthOptions::default();
        Self {
            interval: defaults.interval.into(),
            timeout: defaults.timeout.into(),
        }
    }
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        let defaults = RuntimeOptions::default();
        Self {
            db_timeout: defaults.db_timeout.into(),
            init_timeout: defaults.init_timeout.into(),
            post_init_timeout: defaults.post_init_timeout.into(),
            start_timeout: defaults.start_timeout.into(),
            stop_timeout: defaults.stop_timeout.into(),
            stall_warning: defaults.stall_warning.unwrap_or_default().into(),
            concurrency: defaults.concurrency,
            health: HealthConfig::default(),
        }
    }
}

impl RuntimeConfig {
    /// The runtime options these settings stand for.
    pub fn options(&self) -> RuntimeOptions {
        let stall_warning = Duration::from(self.stall_warning);
        RuntimeOptions {
            db_timeout: self.db_timeout.into(),
            init_timeout: self.init_timeout.into(),
            post_init_timeout: self.post_init_timeout.into(),
            start_timeout: self.start_timeout.into(),
            stop_timeout: self.stop_timeout.into(),
            stall_warning: (!stall_warning.is_zero()).then_some(stall_warning),
            concurrency: self.concurrency.max(1),
            health: HealthOptions {
                interval: self.health.interval.into(),
                timeout: self.health.timeout.into(),
            },
        }
    }
}

impl HostConfig {
    /// The top-level keys this type reads; any other is warned about.
    pub(crate) const KNOWN_KEYS: [&'static str; 7] = [
        "server",
        "logging",
        "runtime",
        "database",
        "directory",
        "telemetry",
        "modules",
    ];

    /// The `modules` sections as the runtime reads them.
    pub fn modules_config(&self) -> ModulesConfig {
        ModulesConfig::new(Value::Object(self.modules.clone()))
    }

    /// The home directory with a leading `~` expanded (from `HOME`).
    pub fn home_dir(&self) -> PathBuf {
        expand_home(&self.server.home_dir)
    }
}

fn expand_home(path: &std::path::Path) -> PathBuf {
    let Ok(rest) = path.strip_prefix("~") else {
        return path.to_owned();
    };
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(rest),
        None => PathBuf::from(".").join(rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_runtime_defaults() {
        let config = HostConfig::default();
        assert_eq!(config.runtime.options(), RuntimeOptions::default());
        assert_eq!(config.logging.format, LogFormat::Human);
    }

    #[test]
    fn runtime_section_reads_durations_as_text_or_seconds() {
        let runtime: RuntimeConfig = serde_json::from_value(serde_json::json!({
            "start_timeout": "2m", "stop_timeout": 5, "concurrency": 4,
            "init_timeout": "90s", "stall_warning": 0, "health": { "interval": "1s" }
        }))
        .unwrap();
        let options = runtime.options();
        assert_eq!(options.start_timeout, Duration::from_secs(120));
        assert_eq!(options.stop_timeout, Duration::from_secs(5));
        assert_eq!(options.concurrency, 4);
        assert_eq!(options.init_timeout, Duration::from_secs(90));
        assert_eq!(options.stall_warning, None, "0 turns stall warnings off");
        assert_eq!(options.health.interval, Duration::from_secs(1));
        assert_eq!(options.health.timeout, Duration::from_secs(2));
    }

    #[test]
    fn a_leading_tilde_is_the_users_home() {
        let config = HostConfig {
            server: ServerConfig {
                home_dir: PathBuf::from("/srv/app"),
                instance_id: None,
            },
            ..HostConfig::default()
        };
        assert_eq!(config.home_dir(), PathBuf::from("/srv/app"));
        let relative = expand_home(std::path::Path::new("~/.modkit"));
        assert!(relative.ends_with(".modkit"), "{}", relative.display());
        assert!(!relative.starts_with("~"), "{}", relative.display());
    }
}
