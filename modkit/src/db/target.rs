//! Turning a module's `database` section into connect options.

use std::str::FromStr;
use std::time::Duration;

#[cfg(feature = "postgres")]
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

use super::{Backend, DbError, DbSettings, Dsn, ModuleDbSettings, PoolSettings};
use crate::Migration;

/// Where one module's database is, ready to connect.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) module: String,
    /// The redacted URL plus overrides, for logs and errors.
    pub(crate) description: String,
    /// The URL the options came from, to scrub driver errors with.
    pub(crate) dsn: Option<Dsn>,
    pub(crate) connect: Connect,
    pub(crate) pool: PoolSettings,
}

#[derive(Debug, Clone)]
pub(crate) enum Connect {
    Sqlite(SqliteConnectOptions),
    #[cfg(feature = "postgres")]
    Postgres {
        options: PgConnectOptions,
        /// Created if missing; the connections' `search_path`.
        schema: Option<String>,
    },
}

impl Target {
    /// `error`'s text with every secret of the URL replaced by `***`.
    pub(crate) fn scrub(&self, error: &dyn std::fmt::Display) -> String {
        let text = error.to_string();
        match &self.dsn {
            Some(dsn) => dsn.scrub(&text),
            None => text,
        }
    }

    /// The error for failing to connect to this target, with `error` scrubbed.
    pub(crate) fn connect_failed(&self, error: &dyn std::fmt::Display) -> DbError {
        DbError::Connect {
            module: self.module.clone(),
            target: self.description.clone(),
            reason: self.scrub(error),
        }
    }

    /// The error for failing to read or create this module's history, with `error` scrubbed.
    pub(crate) fn history_failed(&self, error: &dyn std::fmt::Display) -> DbError {
        DbError::History {
            module: self.module.clone(),
            target: self.description.clone(),
            reason: self.scrub(error),
        }
    }

    /// The error `migration` of this target's module failed with, `reason` already
    /// scrubbed.
    pub(crate) fn migration_failed(&self, migration: &Migration, reason: String) -> DbError {
        DbError::Migration {
            module: self.module.clone(),
            version: migration.version,
            name: migration.name.to_string(),
            target: self.description.clone(),
            reason,
        }
    }
}

/// Module `module`'s target: its `database` section if it has one, else an embedded
/// SQLite file under the home dir.
pub(crate) fn resolve(
    settings: &DbSettings,
    module: &str,
    section: Option<&serde_json::Value>,
) -> Result<Target, DbError> {
    let key = |field: &str| {
        if field.is_empty() {
            format!("modules.{module}.database")
        } else {
            format!("modules.{module}.database.{field}")
        }
    };
    let section: ModuleDbSettings = match section {
        None => ModuleDbSettings::default(),
        Some(value) => serde_path_to_error::deserialize(value).map_err(|error| {
            let path = error.path().to_string();
            DbError::InvalidConfig {
                key: key(if path == "." { "" } else { &path }),
                reason: error.into_inner().to_string(),
            }
        })?,
    };
    let invalid = |field: &str, reason: String| DbError::InvalidConfig {
        key: key(field),
        reason,
    };

    let (dsn, dsn_key, pool) = match (&section.dsn, &section.server) {
        (Some(_), Some(_)) => {
            return Err(invalid("", "set `dsn` or `server`, not both".to_owned()));
        }
        (Some(dsn), None) => (dsn.clone(), key("dsn"), section.pool),
        (None, Some(name)) => {
            let server = settings.servers.get(name).ok_or_else(|| {
                let known: Vec<String> =
                    settings.servers.keys().map(|k| format!("`{k}`")).collect();
                let known = if known.is_empty() {
                    "none is configured".to_owned()
                } else {
                    format!("known: {}", known.join(", "))
                };
                invalid(
                    "server",
                    format!("no server `{name}` under `database.servers` ({known})"),
                )
            })?;
            (
                server.dsn.clone(),
                format!("database.servers.{name}.dsn"),
                server.pool.overridden_by(section.pool),
            )
        }
        (None, None) => {
            for (field, value) in [("database", &section.database), ("schema", &section.schema)] {
                if value.is_some() {
                    return Err(invalid(
                        field,
                        "needs `server` or `dsn` to say which database server it is on".to_owned(),
                    ));
                }
            }
            return Ok(embedded(settings, module, section.pool));
        }
    };

    let scrubbed = |error: sqlx::Error| dsn.scrub(&error.to_string());
    let connect = match dsn.backend() {
        Backend::Sqlite => {
            for (field, value) in [("database", &section.database), ("schema", &section.schema)] {
                if value.is_some() {
                    return Err(invalid(
                        field,
                        format!(
                            "only PostgreSQL databases take a `{field}`; `{dsn_key}` is SQLite"
                        ),
                    ));
                }
            }
            let options = SqliteConnectOptions::from_str(dsn.expose_secret()).map_err(|error| {
                DbError::InvalidConfig {
                    key: dsn_key.clone(),
                    reason: scrubbed(error),
                }
            })?;
            Connect::Sqlite(sqlite_defaults(options))
        }
        #[cfg(not(feature = "postgres"))]
        Backend::Postgres => {
            return Err(DbError::InvalidConfig {
                key: dsn_key,
                reason: format!(
                    "`{dsn}` is a PostgreSQL database, and modkit was built without PostgreSQL \
                     support; enable modkit's `postgres` feature"
                ),
            });
        }
        #[cfg(feature = "postgres")]
        Backend::Postgres => {
            let mut options = PgConnectOptions::from_str(dsn.expose_secret()).map_err(|error| {
                DbError::InvalidConfig {
                    key: dsn_key.clone(),
                    reason: scrubbed(error),
                }
            })?;
            if let Some(database) = &section.database {
                if database.is_empty() {
                    return Err(invalid("database", "must not be empty".to_owned()));
                }
                options = options.database(database);
            }
            if let Some(schema) = &section.schema {
                check_identifier(schema).map_err(|reason| invalid("schema", reason))?;
                options = options.options([("search_path", schema.as_str())]);
            }
            Connect::Postgres {
                options,
                schema: section.schema.clone(),
            }
        }
    };

    let mut description = dsn.to_string();
    if let Some(database) = &section.database {
        description.push_str(&format!(" (database `{database}`)"));
    }
    if let Some(schema) = &section.schema {
        description.push_str(&format!(" (schema `{schema}`)"));
    }
    Ok(Target {
        module: module.to_owned(),
        description,
        dsn: Some(dsn),
        connect,
        pool,
    })
}

/// `<home_dir>/db/<module>.sqlite`, created on first use.
fn embedded(settings: &DbSettings, module: &str, pool: PoolSettings) -> Target {
    let path = settings
        .home_dir
        .join("db")
        .join(format!("{module}.sqlite"));
    Target {
        module: module.to_owned(),
        description: format!("sqlite://{}", path.display()),
        dsn: None,
        connect: Connect::Sqlite(sqlite_defaults(SqliteConnectOptions::new().filename(path))),
        pool,
    }
}

/// How long an SQLite connection waits for another one's lock before it reports the file
/// busy.
pub(crate) const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Creates the file if missing; WAL journal with `synchronous = NORMAL` (readers never
/// wait for the writer; a commit is durable once checkpointed, and never corrupts);
/// waits up to [`SQLITE_BUSY_TIMEOUT`] for another writer.
fn sqlite_defaults(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
}

/// A schema name is used in SQL and as a connection option: plain identifiers only.
#[cfg(feature = "postgres")]
fn check_identifier(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let valid = name.len() <= 63
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a plain identifier (letters, digits and `_`, not starting with a digit, at most 63 characters)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::db::ServerSettings;

    fn settings() -> DbSettings {
        DbSettings::new("/srv/home").with_server(
            "main",
            ServerSettings::new(Dsn::parse("postgres://app:topsecret@db/app").unwrap()),
        )
    }

    #[test]
    fn no_section_means_an_embedded_sqlite_file_under_the_home_dir() {
        let target = resolve(&settings(), "users", None).unwrap();
        assert_eq!(target.description, "sqlite:///srv/home/db/users.sqlite");
        assert!(matches!(target.connect, Connect::Sqlite(_)));
    }

    #[cfg(not(feature = "postgres"))]
    #[test]
    fn without_the_postgres_feature_a_postgres_dsn_names_the_key_and_the_feature() {
        let section = json!({ "server": "main" });
        let error = resolve(&settings(), "users", Some(&section)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid `database.servers.main.dsn`: `postgres://app:***@db/app` is a PostgreSQL \
             database, and modkit was built without PostgreSQL support; enable modkit's \
             `postgres` feature"
        );
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn a_named_server_with_overrides_shows_no_password() {
        let section = json!({ "server": "main", "database": "users", "schema": "users_v1" });
        let target = resolve(&settings(), "users", Some(&section)).unwrap();
        assert_eq!(
            target.description,
            "postgres://app:***@db/app (database `users`) (schema `users_v1`)"
        );
        assert!(matches!(target.connect, Connect::Postgres { .. }));

        let section = json!({ "server": "main", "schema": "bad-name" });
        let error = resolve(&settings(), "users", Some(&section)).unwrap_err();
        assert!(
            error.to_string().starts_with(
                "invalid `modules.users.database.schema`: `bad-name` is not a plain identifier"
            ),
            "{error}"
        );
    }

    #[test]
    fn mistakes_name_their_key() {
        let cases = [
            (
                json!({ "server": "mian" }),
                "modules.users.database.server",
                "known: `main`",
            ),
            (
                json!({ "server": "main", "dsn": "sqlite::memory:" }),
                "modules.users.database",
                "not both",
            ),
            (
                json!({ "dsn": "sqlite::memory:", "schema": "x" }),
                "modules.users.database.schema",
                "only PostgreSQL",
            ),
            (
                json!({ "schema": "x" }),
                "modules.users.database.schema",
                "needs `server`",
            ),
            (
                json!({ "dsn": "mysql://u:topsecret@h/db" }),
                "modules.users.database.dsn",
                "mysql",
            ),
        ];
        for (section, key, reason) in cases {
            let error = resolve(&settings(), "users", Some(&section)).unwrap_err();
            let text = error.to_string();
            assert!(
                text.contains(&format!("`{key}`")) && text.contains(reason),
                "{section}: {text}"
            );
            assert!(!text.contains("topsecret"), "{text}");
        }
    }
}
