use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::OopConfigError;
use crate::config::ConfigTimeout;
pub use crate::runtime::{RestartPolicy, RestartSettings};

/// Where a module runs: `modules.<name>.runtime.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuntimeKind {
    /// In the host process (the default).
    #[default]
    Local,
    /// In a child process the host spawns and supervises.
    Oop,
}

/// How to start a module's child: `modules.<name>.runtime.execution`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Execution {
    /// The child's executable (a path; a bare name is looked up in `PATH`).
    pub binary: PathBuf,
    /// Its arguments.
    #[serde(default)]
    pub args: Vec<String>,
    /// Variables added to its environment (which otherwise holds only a few harmless host
    /// variables such as `PATH`, `HOME` and `RUST_LOG`, and the `MODKIT_*` ones).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Its working directory (default: the host's).
    #[serde(default)]
    pub working_directory: Option<PathBuf>,
}

/// The typed `modules.<name>.runtime` section of an out-of-process module.
///
/// ```
/// use std::time::Duration;
/// use modkit::oop::{OopRuntimeConfig, RestartPolicy};
///
/// let section = serde_json::json!({
///     "runtime": {
///         "type": "oop",
///         "execution": { "binary": "/usr/local/bin/calculator" },
///         "restart": { "policy": "never" },
///         "stop_timeout": "5s"
///     }
/// });
/// let config = OopRuntimeConfig::from_section("calculator", Some(&section))?.unwrap();
/// assert_eq!(config.restart.policy, RestartPolicy::Never);
/// assert_eq!(config.stop_timeout, Some(Duration::from_secs(5)));
/// assert!(OopRuntimeConfig::from_section("users", None)?.is_none());
/// # Ok::<(), modkit::oop::OopConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OopRuntimeConfig {
    /// How to start the child.
    pub execution: Execution,
    /// When to restart it.
    pub restart: RestartSettings,
    /// How long it may take from spawn to running (`runtime.start_timeout`).
    pub start_timeout: Option<Duration>,
    /// How long it gets between SIGTERM and SIGKILL (`runtime.stop_timeout`).
    pub stop_timeout: Option<Duration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuntime {
    #[serde(default, rename = "type")]
    kind: RuntimeKind,
    #[serde(default)]
    execution: Option<Execution>,
    #[serde(default)]
    restart: RestartSettings,
    #[serde(default)]
    start_timeout: Option<ConfigTimeout>,
    #[serde(default)]
    stop_timeout: Option<ConfigTimeout>,
    // Read, typed, by the module's remote client (`RuntimeOptions::call_timeout_for`).
    #[serde(default, rename = "call_timeout")]
    _call_timeout: Option<ConfigTimeout>,
}

impl OopRuntimeConfig {
    /// Reads module `module`'s section (`modules.<module>`, as a
    /// [`ConfigProvider`](crate::ConfigProvider) returns it): `None` when the module runs in
    /// the host, an error naming the key when the section is malformed.
    pub fn from_section(
        module: &str,
        section: Option<&Value>,
    ) -> Result<Option<Self>, OopConfigError> {
        let Some(runtime) = section.and_then(|section| section.get("runtime")) else {
            return Ok(None);
        };
        let raw: RawRuntime =
            serde_path_to_error::deserialize(runtime).map_err(|error| OopConfigError::Invalid {
                module: module.to_owned(),
                path: error.path().to_string(),
                reason: error.inner().to_string(),
            })?;
        if raw.kind != RuntimeKind::Oop {
            return Ok(None);
        }
        let execution = raw
            .execution
            .ok_or_else(|| OopConfigError::MissingExecution {
                module: module.to_owned(),
            })?;
        Ok(Some(Self {
            execution,
            restart: raw.restart,
            start_timeout: raw.start_timeout.map(Duration::from),
            stop_timeout: raw.stop_timeout.map(Duration::from),
        }))
    }
}

/// The names of the modules configured `runtime.type: oop` in `modules` (the host config's
/// `modules` object), sorted; a malformed section is an error naming its key.
///
/// ```
/// let modules = serde_json::json!({
///     "calculator": { "runtime": { "type": "oop", "execution": { "binary": "calc" } } },
///     "users": { "config": { "page_size": 50 } }
/// });
/// assert_eq!(modkit::oop::configured_oop_modules(&modules)?, ["calculator"]);
/// # Ok::<(), modkit::oop::OopConfigError>(())
/// ```
pub fn configured_oop_modules(modules: &Value) -> Result<Vec<String>, OopConfigError> {
    let Some(modules) = modules.as_object() else {
        return Ok(Vec::new());
    };
    let mut names = Vec::new();
    for (name, section) in modules {
        if OopRuntimeConfig::from_section(name, Some(section))?.is_some() {
            names.push(name.clone());
        }
    }
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(runtime: Value) -> Result<Option<OopRuntimeConfig>, OopConfigError> {
        OopRuntimeConfig::from_section("calc", Some(&json!({ "runtime": runtime })))
    }

    #[test]
    fn every_key_is_read() {
        let config = read(json!({
            "type": "oop",
            "execution": {
                "binary": "/bin/calc",
                "args": ["-v"],
                "env": { "A": "1" },
                "working_directory": "/tmp"
            },
            "restart": {
                "policy": "on_failure",
                "initial_backoff": "50ms",
                "max_backoff": 2,
                "max_restarts": 3,
                "stable_after": "1m"
            },
            "start_timeout": "3s"
        }))
        .unwrap()
        .unwrap();
        assert_eq!(config.execution.args, ["-v"]);
        assert_eq!(config.execution.env["A"], "1");
        assert_eq!(config.restart.initial_backoff, Duration::from_millis(50));
        assert_eq!(config.restart.max_backoff, Duration::from_secs(2));
        assert_eq!(config.restart.max_restarts, 3);
        assert_eq!(config.restart.stable_after, Duration::from_secs(60));
        assert_eq!(config.start_timeout, Some(Duration::from_secs(3)));
        assert_eq!(config.stop_timeout, None);
    }

    #[test]
    fn local_modules_are_not_oop() {
        assert_eq!(read(json!({ "start_timeout": "1s" })), Ok(None));
        assert_eq!(read(json!({ "type": "local" })), Ok(None));
    }

    #[test]
    fn errors_name_the_key() {
        let error = read(json!({
            "type": "oop",
            "execution": { "binary": "x" },
            "restart": { "policy": "always" }
        }))
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("modules.calc.runtime.restart.policy"),
            "{error}"
        );
        let error =
            read(json!({ "type": "oop", "execution": { "binary": "x", "argv": [] } })).unwrap_err();
        assert!(error.to_string().contains("argv"), "{error}");
        let error = read(json!({ "type": "oop" })).unwrap_err();
        assert_eq!(
            error,
            OopConfigError::MissingExecution {
                module: "calc".to_owned()
            }
        );
        let error = read(json!({
            "type": "oop",
            "execution": { "binary": "x" },
            "restart": { "initial_backoff": "soon" }
        }))
        .unwrap_err();
        assert!(error.to_string().contains("initial_backoff"), "{error}");
    }
}
