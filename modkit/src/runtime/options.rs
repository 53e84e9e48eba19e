use std::time::Duration;

use serde::Deserialize;

use super::restart::RestartSettings;
use crate::config::{ConfigProvider, ConfigTimeout};

/// Which phases [`HostRuntime`](super::HostRuntime) runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunMode {
    /// Every start-up phase, then wait for the cancellation token, then stop.
    #[default]
    Full,
    /// `pre_init` and `db` only, then return: apply migrations and start nothing.
    MigrateOnly,
}

impl RunMode {
    /// The start-up phases this mode runs, in order.
    pub fn phases(self) -> &'static [super::Phase] {
        match self {
            RunMode::Full => super::Phase::STARTUP,
            RunMode::MigrateOnly => super::Phase::MIGRATION,
        }
    }
}

/// Host-wide runtime settings: the host config's `runtime` section.
///
/// ```
/// use std::time::Duration;
/// use modkit::RuntimeOptions;
///
/// let options = RuntimeOptions {
///     start_timeout: Duration::from_secs(10),
///     concurrency: 4,
///     ..RuntimeOptions::default()
/// };
/// assert_eq!(options.stop_timeout, Duration::from_secs(30));
/// assert_eq!(options.stall_warning, Some(Duration::from_secs(5)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeOptions {
    /// How long a module's migrations (the db phase) may take before start-up fails
    /// (default 10 min: a migration may rewrite a large table).
    pub db_timeout: Duration,
    /// How long a module's `init` may take before start-up fails (default 60 s).
    pub init_timeout: Duration,
    /// How long a system module's `post_init` may take before start-up fails (default 60 s).
    pub post_init_timeout: Duration,
    /// How long a module's `start` may take before start-up fails (default 30 s).
    pub start_timeout: Duration,
    /// How long a module's `stop` and its tasks may take before they are abandoned
    /// (default 30 s).
    pub stop_timeout: Duration,
    /// After how long a hook still running is logged as stalled, naming the module, the
    /// hook and the modules already done; the warning repeats at this interval until the
    /// hook ends (default 5 s; `None` turns the warnings off).
    pub stall_warning: Option<Duration>,
    /// How many modules may run `init`, `start` or `stop` side by side once their
    /// dependencies are done (default 1: one at a time). Hooks share the runtime's task, so
    /// a hook doing blocking work should hand it to `spawn_blocking`.
    pub concurrency: usize,
    /// How modules with the `health` capability are polled.
    pub health: HealthOptions,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        Self {
            db_timeout: Duration::from_secs(600),
            init_timeout: Duration::from_secs(60),
            post_init_timeout: Duration::from_secs(60),
            start_timeout: Duration::from_secs(30),
            stop_timeout: Duration::from_secs(30),
            stall_warning: Some(Duration::from_secs(5)),
            concurrency: 1,
            health: HealthOptions::default(),
        }
    }
}

/// How the runtime polls [`HealthCapability`](crate::HealthCapability) modules:
/// `runtime.health` in the host config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthOptions {
    /// Time between two checks of a module (default 10 s).
    pub interval: Duration,
    /// How long a check may take; past it the module counts as down (default 2 s).
    pub timeout: Duration,
}

impl Default for HealthOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(10),
            timeout: Duration::from_secs(2),
        }
    }
}

/// A module's own deadlines, after `modules.<name>.runtime` overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Deadlines {
    pub(crate) db: Duration,
    pub(crate) init: Duration,
    pub(crate) post_init: Duration,
    pub(crate) start: Duration,
    pub(crate) stop: Duration,
}

impl Deadlines {
    /// The deadline of the module's hook in `phase`, if that phase's hooks have one.
    pub(crate) fn of(&self, phase: super::Phase) -> Option<Duration> {
        use super::Phase;
        match phase {
            Phase::Db => Some(self.db),
            Phase::Init => Some(self.init),
            Phase::PostInit => Some(self.post_init),
            Phase::Start => Some(self.start),
            Phase::Stop => Some(self.stop),
            Phase::PreInit | Phase::Rest | Phase::Grpc | Phase::OopSpawn => None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuntimeOverrides {
    #[serde(default)]
    db_timeout: Option<ConfigTimeout>,
    #[serde(default)]
    init_timeout: Option<ConfigTimeout>,
    #[serde(default)]
    post_init_timeout: Option<ConfigTimeout>,
    #[serde(default)]
    start_timeout: Option<ConfigTimeout>,
    #[serde(default)]
    stop_timeout: Option<ConfigTimeout>,
    #[serde(default)]
    call_timeout: Option<ConfigTimeout>,
    #[serde(default, rename = "type")]
    placement: Option<Placement>,
    #[serde(default, rename = "execution")]
    _execution: Option<serde_json::Value>,
    /// Read here for supervised in-process modules, and by `crate::oop::OopRuntimeConfig`
    /// for children.
    #[serde(default)]
    restart: Option<RestartSettings>,
}

/// Where a module runs: `modules.<name>.runtime.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Placement {
    /// In the host's process (the default).
    #[default]
    Local,
    /// In a child process the host spawns; the host never runs its hooks.
    Oop,
}

impl RuntimeOptions {
    /// Module `name`'s placement: `modules.<name>.runtime.type`, `local` when unset.
    pub(crate) fn placement_for(
        name: &str,
        config: &dyn ConfigProvider,
    ) -> Result<Placement, String> {
        Ok(RuntimeOverrides::of(name, config)?
            .and_then(|overrides| overrides.placement)
            .unwrap_or_default())
    }

    /// Module `name`'s deadlines: `modules.<name>.runtime.{db,init,post_init,start,stop}_timeout`
    /// where set, else the host-wide ones. A malformed override is an error naming the key.
    pub(crate) fn deadlines_for(
        &self,
        name: &str,
        config: &dyn ConfigProvider,
    ) -> Result<Deadlines, String> {
        let Some(overrides) = RuntimeOverrides::of(name, config)? else {
            return Ok(self.host_deadlines());
        };
        let or =
            |value: Option<ConfigTimeout>, default: Duration| value.map_or(default, Duration::from);
        Ok(Deadlines {
            db: or(overrides.db_timeout, self.db_timeout),
            init: or(overrides.init_timeout, self.init_timeout),
            post_init: or(overrides.post_init_timeout, self.post_init_timeout),
            start: or(overrides.start_timeout, self.start_timeout),
            stop: or(overrides.stop_timeout, self.stop_timeout),
        })
    }

    /// Module `name`'s `modules.<name>.runtime.restart`, if it has one: an in-process
    /// module with one is supervised (see [`RestartSettings`]). A malformed section is an
    /// error naming the key.
    pub(crate) fn restart_for(
        name: &str,
        config: &dyn ConfigProvider,
    ) -> Result<Option<RestartSettings>, String> {
        Ok(RuntimeOverrides::of(name, config)?.and_then(|overrides| overrides.restart))
    }

    /// The deadlines of a module with no `modules.<name>.runtime` overrides.
    pub(crate) fn host_deadlines(&self) -> Deadlines {
        Deadlines {
            db: self.db_timeout,
            init: self.init_timeout,
            post_init: self.post_init_timeout,
            start: self.start_timeout,
            stop: self.stop_timeout,
        }
    }
}

impl RuntimeOptions {
    /// The deadline of each call to module `name` when it runs elsewhere (out of process):
    /// `modules.<name>.runtime.call_timeout`, else [`DEFAULT_CALL_TIMEOUT`]. A malformed
    /// value is an error naming the key.
    ///
    /// ```
    /// use std::time::Duration;
    /// use modkit::RuntimeOptions;
    /// use modkit::config::ModulesConfig;
    ///
    /// let config = ModulesConfig::empty()
    ///     .with_module_runtime("calculator", serde_json::json!({ "call_timeout": "250ms" }));
    /// assert_eq!(
    ///     RuntimeOptions::call_timeout_for("calculator", &config),
    ///     Ok(Duration::from_millis(250))
    /// );
    /// assert_eq!(
    ///     RuntimeOptions::call_timeout_for("users", &config),
    ///     Ok(modkit::runtime::DEFAULT_CALL_TIMEOUT)
    /// );
    /// ```
    pub fn call_timeout_for(name: &str, config: &dyn ConfigProvider) -> Result<Duration, String> {
        Ok(RuntimeOverrides::of(name, config)?
            .and_then(|overrides| overrides.call_timeout)
            .map_or(DEFAULT_CALL_TIMEOUT, Duration::from))
    }
}

/// The deadline of a call to a module running elsewhere unless its
/// `modules.<name>.runtime.call_timeout` says otherwise.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(5);

impl RuntimeOverrides {
    /// `modules.<name>.runtime`, if the module has one; an error names the bad key.
    fn of(name: &str, config: &dyn ConfigProvider) -> Result<Option<Self>, String> {
        let Some(runtime) = config
            .get_module_config(name)
            .and_then(|section| section.get("runtime"))
        else {
            return Ok(None);
        };
        serde_path_to_error::deserialize(runtime)
            .map(Some)
            .map_err(|error| {
                let key = match error.path().to_string() {
                    path if path == "." => format!("modules.{name}.runtime"),
                    path => format!("modules.{name}.runtime.{path}"),
                };
                format!("invalid `{key}`: {}", error.into_inner())
            })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::config::ModulesConfig;

    #[test]
    fn per_module_overrides_win_over_host_defaults() {
        let config = ModulesConfig::empty().with_module_runtime(
            "slow",
            json!({ "start_timeout": "2m", "stop_timeout": 5, "init_timeout": "3s" }),
        );
        let options = RuntimeOptions::default();
        let slow = options.deadlines_for("slow", &config).unwrap();
        assert_eq!(slow.start, Duration::from_secs(120));
        assert_eq!(slow.stop, Duration::from_secs(5));
        assert_eq!(slow.init, Duration::from_secs(3));
        assert_eq!(slow.db, options.db_timeout);
        let other = options.deadlines_for("other", &config).unwrap();
        assert_eq!(other.start, Duration::from_secs(30));
        assert_eq!(other.init, Duration::from_secs(60));
    }

    #[test]
    fn placement_is_local_unless_configured_oop() {
        let config = ModulesConfig::empty()
            .with_module_runtime(
                "calc",
                json!({ "type": "oop", "execution": { "binary": "calc" } }),
            )
            .with_module_runtime("slow", json!({ "start_timeout": "2m" }))
            .with_module_runtime("odd", json!({ "type": "remote" }));
        assert_eq!(
            RuntimeOptions::placement_for("calc", &config),
            Ok(Placement::Oop)
        );
        assert_eq!(
            RuntimeOptions::placement_for("slow", &config),
            Ok(Placement::Local)
        );
        assert_eq!(
            RuntimeOptions::placement_for("none", &config),
            Ok(Placement::Local)
        );
        let error = RuntimeOptions::placement_for("odd", &config).unwrap_err();
        assert!(
            error.contains("`remote`") && error.contains("`oop`"),
            "{error}"
        );
    }

    #[test]
    fn a_malformed_override_names_its_key() {
        let config =
            ModulesConfig::empty().with_module_runtime("slow", json!({ "stop_timeout": "soon" }));
        let error = RuntimeOptions::default()
            .deadlines_for("slow", &config)
            .unwrap_err();
        assert!(
            error.contains("modules.slow.runtime.stop_timeout"),
            "{error}"
        );
        let config =
            ModulesConfig::empty().with_module_runtime("slow", json!({ "stop_timout": "1s" }));
        let error = RuntimeOptions::default()
            .deadlines_for("slow", &config)
            .unwrap_err();
        assert!(error.contains("stop_timout"), "{error}");
    }
}
