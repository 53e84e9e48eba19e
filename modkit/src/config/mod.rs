//! Where modules' configuration comes from.
//!
//! The host's config file has one section per module under `modules.<name>`:
//!
//! ```yaml
//! modules:
//!   users:
//!     config:        # read by the module with ctx.config::<T>()
//!       page_size: 50
//!     runtime:       # read by the runtime
//!       start_timeout: 10s
//!       stop_timeout: 5s
//! ```
//!
//! The runtime reads sections through [`ConfigProvider`]; [`ModulesConfig`] is the plain
//! implementation over a JSON value.

mod duration;
mod error;
mod modules_config;
mod secret;
#[cfg(any(feature = "db", feature = "bootstrap"))]
pub(crate) mod secret_url;
mod typed_config;

pub use duration::{ConfigDuration, ConfigTimeout, DurationParseError, parse_duration};
pub use error::ConfigError;
pub use modules_config::ModulesConfig;
pub use secret::Secret;
pub use typed_config::{TypedConfig, read_module_config};

/// Gives the runtime each module's section of the host configuration.
pub trait ConfigProvider: Send + Sync {
    /// The whole `modules.<module>` section (with its `config`, `database` and `runtime`
    /// keys), or `None` when the host configures nothing for the module.
    fn get_module_config(&self, module: &str) -> Option<&serde_json::Value>;
}
