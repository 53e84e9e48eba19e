//! The host's databases, from the `server.home_dir` and `database` sections.

use std::sync::Arc;

use super::{BootstrapError, HostConfig};
use crate::config::ConfigProvider;
use crate::registry::ModuleRegistry;
use crate::runtime::DbOptions;

/// The database manager the runtime hands modules their pools from.
#[cfg(feature = "db")]
pub(crate) fn db_options(
    config: &HostConfig,
    modules: Arc<dyn ConfigProvider>,
) -> Result<DbOptions, BootstrapError> {
    use crate::db::{DbManager, DbSettings};

    let settings =
        DbSettings::from_config(config.home_dir(), &config.database).map_err(|error| {
            BootstrapError::InvalidConfig {
                issues: vec![error.to_string()],
            }
        })?;
    Ok(DbOptions::Manager(Arc::new(DbManager::new(
        settings, modules,
    ))))
}

/// Without the `db` feature the host has no databases.
#[cfg(not(feature = "db"))]
pub(crate) fn db_options(
    _config: &HostConfig,
    _modules: Arc<dyn ConfigProvider>,
) -> Result<DbOptions, BootstrapError> {
    Ok(DbOptions::None)
}

/// Every `modules.<name>.database` section of a linked module resolves (a known server, a
/// valid DSN), checked without connecting; one line per problem.
pub(crate) fn database_issues(options: &DbOptions, registry: &ModuleRegistry) -> Vec<String> {
    #[cfg(feature = "db")]
    if let DbOptions::Manager(manager) = options {
        use crate::registry::DatabaseCap;
        return registry
            .modules()
            .iter()
            .filter(|entry| {
                entry.caps().has::<DatabaseCap>() || manager.is_configured(entry.name())
            })
            .filter_map(|entry| manager.check(entry.name()).err())
            .map(|error| error.to_string())
            .collect();
    }
    let _ = (options, registry);
    Vec::new()
}
