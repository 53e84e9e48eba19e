//! A module's typed `config` section, read the same way by `ctx.config::<T>()`, by `check`
//! and at start-up before any module runs.

use std::fmt;

use serde::de::DeserializeOwned;

use super::{ConfigError, ConfigProvider};

/// Reads module `module`'s `config` section (`modules.<module>.config`; an empty object when
/// absent) as a `T`. The error names the module and the key path of the bad value.
///
/// ```
/// use modkit::config::{ModulesConfig, read_module_config};
///
/// #[derive(serde::Deserialize)]
/// #[serde(deny_unknown_fields)]
/// struct Audit {
///     capacity: usize,
/// }
///
/// let config = ModulesConfig::new(serde_json::json!({
///     "audit": { "config": { "capacity": "lots" } }
/// }));
/// let error = read_module_config::<Audit>("audit", &config).err().unwrap();
/// assert!(error.to_string().contains("modules.audit.config.capacity"), "{error}");
/// ```
pub fn read_module_config<T: DeserializeOwned>(
    module: &str,
    provider: &dyn ConfigProvider,
) -> Result<T, ConfigError> {
    let empty = serde_json::Value::Object(serde_json::Map::new());
    let section = provider
        .get_module_config(module)
        .and_then(|section| section.get("config"))
        .unwrap_or(&empty);
    serde_path_to_error::deserialize(section).map_err(|error| {
        let field = error.path().to_string();
        let path = if field == "." {
            format!("modules.{module}.config")
        } else {
            format!("modules.{module}.config.{field}")
        };
        ConfigError::Invalid {
            module: module.to_owned(),
            path,
            reason: error.into_inner().to_string(),
        }
    })
}

/// The type of a module's `config` section, as `#[modkit::module(config = T)]` declares
/// it: the host reads every declared section before any module runs (and `check` does
/// too), so a typo or a bad value fails start-up at once, all problems together, instead
/// of in the module's `init`.
///
/// Any `T: DeserializeOwned` works. Checks across fields belong in `T`'s `Deserialize`
/// (`#[serde(try_from = ..)]` or `deserialize_with`), so that every reader sees them.
///
/// ```
/// use modkit::config::{ModulesConfig, TypedConfig};
///
/// #[derive(serde::Deserialize)]
/// #[serde(deny_unknown_fields)]
/// struct Ticker {
///     interval_ms: u64,
/// }
///
/// let typed = TypedConfig::of::<Ticker>();
/// let config = ModulesConfig::new(serde_json::json!({
///     "ticker": { "config": { "intervall_ms": 5 } }
/// }));
/// let error = typed.check("ticker", &config).unwrap_err();
/// assert!(error.to_string().contains("intervall_ms"), "{error}");
/// ```
#[derive(Clone, Copy)]
pub struct TypedConfig {
    type_name: fn() -> &'static str,
    check: fn(&str, &dyn ConfigProvider) -> Result<(), ConfigError>,
}

impl TypedConfig {
    /// The section is a `T`.
    pub const fn of<T: DeserializeOwned>() -> Self {
        Self {
            type_name: std::any::type_name::<T>,
            check: |module, provider| read_module_config::<T>(module, provider).map(drop),
        }
    }

    /// Reads module `module`'s section as the declared type and drops it.
    pub fn check(&self, module: &str, provider: &dyn ConfigProvider) -> Result<(), ConfigError> {
        (self.check)(module, provider)
    }

    /// The declared type's name.
    pub fn type_name(&self) -> &'static str {
        (self.type_name)()
    }
}

impl fmt::Debug for TypedConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TypedConfig")
            .field(&self.type_name())
            .finish()
    }
}
