use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{DbError, Dsn};
use crate::config::parse_duration;

/// What a [`DbManager`](super::DbManager) needs from the host config: `server.home_dir`
/// (where embedded SQLite files go) and `database.servers`.
///
/// ```yaml
/// server:
///   home_dir: /var/lib/my-service     # SQLite files go to <home_dir>/db/<module>.sqlite
/// database:
///   servers:
///     main:
///       dsn: postgres://app:secret@db.internal:5432/app
///       pool: { max_connections: 10, acquire_timeout: 5s }
/// ```
///
/// ```
/// use modkit::db::DbSettings;
///
/// let settings: DbSettings = serde_json::from_value(serde_json::json!({
///     "home_dir": "/var/lib/my-service",
///     "servers": { "main": { "dsn": "postgres://app:secret@db.internal/app" } }
/// }))?;
/// assert_eq!(settings.servers["main"].dsn.to_string(), "postgres://app:***@db.internal/app");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DbSettings {
    /// The host's home dir (`server.home_dir`); embedded SQLite files go to
    /// `<home_dir>/db/<module>.sqlite`.
    pub home_dir: PathBuf,
    /// Named servers (`database.servers`) that modules refer to with
    /// `modules.<name>.database.server`.
    #[serde(default)]
    pub servers: BTreeMap<String, ServerSettings>,
}

impl DbSettings {
    /// Settings with embedded SQLite files under `home_dir` and no named server.
    pub fn new(home_dir: impl Into<PathBuf>) -> Self {
        Self {
            home_dir: home_dir.into(),
            servers: BTreeMap::new(),
        }
    }

    /// Settings from the host config: the home dir (`server.home_dir`, already expanded)
    /// and the `database` section (`{ servers: { <name>: { dsn, pool } } }`; `null` for
    /// none). A mistake names its key (`database.servers.main.dsn`), never a password.
    ///
    /// ```
    /// use modkit::db::DbSettings;
    ///
    /// let section = serde_json::json!({ "servers": { "main": { "dsn": "mysql://u:pw@h/db" } } });
    /// let error = DbSettings::from_config("/srv/app", &section).unwrap_err();
    /// assert!(error.to_string().starts_with("invalid `database.servers.main.dsn`"));
    /// ```
    pub fn from_config(
        home_dir: impl Into<PathBuf>,
        database: &serde_json::Value,
    ) -> Result<Self, DbError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Section {
            #[serde(default)]
            servers: BTreeMap<String, ServerSettings>,
        }
        let servers = if database.is_null() {
            BTreeMap::new()
        } else {
            let section: Section = serde_path_to_error::deserialize(database).map_err(|error| {
                let path = error.path().to_string();
                DbError::InvalidConfig {
                    key: if path == "." {
                        "database".to_owned()
                    } else {
                        format!("database.{path}")
                    },
                    reason: error.into_inner().to_string(),
                }
            })?;
            section.servers
        };
        Ok(Self {
            home_dir: home_dir.into(),
            servers,
        })
    }

    /// Adds the named server `name`.
    pub fn with_server(mut self, name: impl Into<String>, server: ServerSettings) -> Self {
        self.servers.insert(name.into(), server);
        self
    }
}

/// One entry of `database.servers`: a database that modules can share.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Where it is; its password never shows in logs or errors.
    pub dsn: Dsn,
    /// Pool sizes and timeouts for every module that uses this server.
    #[serde(default)]
    pub pool: PoolSettings,
}

impl ServerSettings {
    /// A server at `dsn` with default pool settings.
    pub fn new(dsn: Dsn) -> Self {
        Self {
            dsn,
            pool: PoolSettings::default(),
        }
    }
}

/// Pool settings; unset fields keep sqlx's defaults (10 connections at most, none kept
/// open, 30 s to acquire one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSettings {
    /// The most connections the module's pool opens.
    #[serde(default)]
    pub max_connections: Option<u32>,
    /// The connections the pool keeps open when idle.
    #[serde(default)]
    pub min_connections: Option<u32>,
    /// How long a query waits for a free connection (`"5s"` or a number of seconds).
    #[serde(
        default,
        deserialize_with = "duration",
        serialize_with = "duration_text"
    )]
    pub acquire_timeout: Option<Duration>,
}

impl PoolSettings {
    /// `self`, with the fields `overrides` sets replaced.
    pub(crate) fn overridden_by(self, overrides: PoolSettings) -> Self {
        Self {
            max_connections: overrides.max_connections.or(self.max_connections),
            min_connections: overrides.min_connections.or(self.min_connections),
            acquire_timeout: overrides.acquire_timeout.or(self.acquire_timeout),
        }
    }
}

/// A module's `modules.<name>.database` section.
///
/// * nothing: an embedded SQLite file, `<home_dir>/db/<module>.sqlite`;
/// * `dsn`: the module's own database (`sqlite://…` or `postgres://…`);
/// * `server`: a server from `database.servers`, optionally with another `database` on it
///   and, on PostgreSQL, a `schema` (created if missing) that the module's connections
///   use as their `search_path`;
/// * `pool`: overrides the server's pool settings.
///
/// ```yaml
/// modules:
///   users:
///     database: { server: main, schema: users }
///   audit:
///     database: { dsn: "sqlite:///var/lib/audit/audit.sqlite" }
/// ```
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleDbSettings {
    /// The module's own database URL; not together with `server`.
    #[serde(default)]
    pub dsn: Option<Dsn>,
    /// The name of a server under `database.servers`; not together with `dsn`.
    #[serde(default)]
    pub server: Option<String>,
    /// PostgreSQL: a database on the server other than the one its URL names.
    #[serde(default)]
    pub database: Option<String>,
    /// PostgreSQL: the schema the module's tables (and its migration history) live in.
    #[serde(default)]
    pub schema: Option<String>,
    /// Pool settings, over the server's.
    #[serde(default)]
    pub pool: PoolSettings,
}

/// `"30s"` or a number of seconds.
fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Text(String),
        Seconds(u64),
    }
    match Option::<Value>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Value::Seconds(seconds)) => Ok(Some(Duration::from_secs(seconds))),
        Some(Value::Text(text)) => parse_duration(&text)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// Writes a duration as `"1500ms"`, which [`duration`] reads back.
fn duration_text<S: Serializer>(
    value: &Option<Duration>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(duration) => serializer.serialize_str(&format!("{}ms", duration.as_millis())),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn module_sections_read_durations_and_refuse_unknown_keys() {
        let section: ModuleDbSettings = serde_json::from_value(json!({
            "server": "main",
            "schema": "users",
            "pool": { "max_connections": 3, "acquire_timeout": "2s" }
        }))
        .unwrap();
        assert_eq!(section.pool.acquire_timeout, Some(Duration::from_secs(2)));
        assert_eq!(section.pool.max_connections, Some(3));
        let error = serde_json::from_value::<ModuleDbSettings>(json!({ "sever": "main" }))
            .unwrap_err()
            .to_string();
        assert!(error.contains("sever"), "{error}");
    }

    #[test]
    fn a_module_pool_setting_overrides_the_servers() {
        let server = PoolSettings {
            max_connections: Some(10),
            min_connections: Some(1),
            acquire_timeout: None,
        };
        let module = PoolSettings {
            max_connections: Some(2),
            ..PoolSettings::default()
        };
        let merged = server.overridden_by(module);
        assert_eq!(merged.max_connections, Some(2));
        assert_eq!(merged.min_connections, Some(1));
    }
}
