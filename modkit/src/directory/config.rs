//! The host's `directory` config section: where instances register and callers resolve.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::ConfigDuration;

/// The `directory` section of the host config: which backend keeps the directory.
///
/// `host` (the default) is the in-host directory the `grpc-hub` serves; `etcd` keeps every
/// instance as a key under an etcd lease and gives every resolving process a watched local
/// view (the `etcd` cargo feature).
///
/// ```
/// use std::time::Duration;
/// use modkit::directory::DirectoryConfig;
///
/// assert_eq!(DirectoryConfig::from_value(&serde_json::Value::Null)?, DirectoryConfig::Host);
/// let etcd = DirectoryConfig::from_value(&serde_json::json!({
///     "backend": "etcd",
///     "endpoints": ["http://127.0.0.1:2379"],
///     "ttl": "2s",
/// }))?;
/// let DirectoryConfig::Etcd(etcd) = etcd else { unreachable!() };
/// assert_eq!(etcd.prefix, "/modkit");
/// assert_eq!(etcd.ttl(), Duration::from_secs(2));
/// # Ok::<(), modkit::directory::DirectoryConfigError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "backend", rename_all = "snake_case")]
pub enum DirectoryConfig {
    /// `backend: host`: the in-host directory served by the `grpc-hub`.
    #[default]
    Host,
    /// `backend: etcd`.
    Etcd(EtcdConfig),
}

/// `directory` with `backend: etcd`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EtcdConfig {
    /// etcd's client URLs (`http://10.0.0.5:2379`); at least one.
    pub endpoints: Vec<String>,
    /// Every key lives under this prefix (default `/modkit`): instances are
    /// `PREFIX/instances/MODULE/INSTANCE_ID`.
    #[serde(default = "default_prefix")]
    pub prefix: String,
    /// The lease of an instance's key: a process that stops renewing it (it died, or lost
    /// etcd) is gone from every view this long after (default `10s`, at least `1s`).
    #[serde(default = "default_ttl")]
    pub ttl: ConfigDuration,
    /// How long start-up waits for etcd before it fails, naming the endpoints (default `5s`).
    #[serde(default = "default_connect_timeout")]
    pub connect_timeout: ConfigDuration,
    /// The etcd user, when etcd has authentication enabled.
    #[serde(default)]
    pub username: Option<String>,
    /// The file holding `username`'s password (read at start; never taken from the
    /// environment or the command line, never logged).
    #[serde(default)]
    pub password_file: Option<PathBuf>,
}

fn default_prefix() -> String {
    "/modkit".to_owned()
}

fn default_ttl() -> ConfigDuration {
    Duration::from_secs(10).into()
}

fn default_connect_timeout() -> ConfigDuration {
    Duration::from_secs(5).into()
}

/// The `directory` section does not describe a directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `directory` config: {reason}")]
pub struct DirectoryConfigError {
    /// What is wrong, naming the key.
    pub reason: String,
}

impl DirectoryConfig {
    /// Reads the `directory` section (`null` when the config has none: `backend: host`).
    pub fn from_value(value: &serde_json::Value) -> Result<Self, DirectoryConfigError> {
        if value.is_null() {
            return Ok(Self::Host);
        }
        // The backend first, then its settings on their own: serde's internally tagged
        // enums lose the path of a bad field, which the message should name.
        let invalid = |reason: String| DirectoryConfigError { reason };
        let serde_json::Value::Object(section) = value else {
            return Err(invalid(
                "the section must be a map with a `backend` key".to_owned(),
            ));
        };
        let mut settings = section.clone();
        let backend = settings.remove("backend");
        if backend.as_ref().is_some_and(|backend| !backend.is_string()) {
            return Err(invalid(
                "`directory.backend` must be `host` or `etcd`".to_owned(),
            ));
        }
        let config = match backend.as_ref().and_then(serde_json::Value::as_str) {
            None | Some("host") if settings.is_empty() => Self::Host,
            None | Some("host") => {
                let keys: Vec<String> = settings
                    .keys()
                    .map(|key| format!("`directory.{key}`"))
                    .collect();
                return Err(invalid(format!(
                    "{} only apply to `backend: etcd` (the backend is `host`)",
                    keys.join(", ")
                )));
            }
            Some("etcd") => {
                let settings = serde_json::Value::Object(settings);
                Self::Etcd(
                    serde_path_to_error::deserialize(&settings).map_err(|error| {
                        let path = error.path().to_string();
                        if path == "." {
                            invalid(error.inner().to_string())
                        } else {
                            invalid(format!("`directory.{path}`: {}", error.inner()))
                        }
                    })?,
                )
            }
            Some(other) => {
                return Err(invalid(format!(
                    "unknown `directory.backend` `{other}`, expected `host` or `etcd`"
                )));
            }
        };
        if let Self::Etcd(etcd) = &config {
            etcd.validate()?;
        }
        Ok(config)
    }
}

impl EtcdConfig {
    /// The lease's time to live.
    pub fn ttl(&self) -> Duration {
        self.ttl.into()
    }

    /// How long start-up waits for etcd.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout.into()
    }

    /// The prefix without a trailing `/`.
    pub fn prefix(&self) -> &str {
        self.prefix.trim_end_matches('/')
    }

    fn validate(&self) -> Result<(), DirectoryConfigError> {
        let invalid = |reason: String| Err(DirectoryConfigError { reason });
        if self.endpoints.is_empty() {
            return invalid("`directory.endpoints` lists no etcd endpoint".to_owned());
        }
        if let Some(bad) = self
            .endpoints
            .iter()
            .find(|endpoint| !endpoint.starts_with("http://") && !endpoint.starts_with("https://"))
        {
            return invalid(format!(
                "`directory.endpoints`: `{bad}` is not an `http://host:port` URL"
            ));
        }
        if !self.prefix.starts_with('/') || self.prefix().is_empty() {
            return invalid(format!(
                "`directory.prefix`: `{}` must start with `/` and name something (`/modkit`)",
                self.prefix
            ));
        }
        if self.ttl() < Duration::from_secs(1) {
            return invalid(format!(
                "`directory.ttl`: {} is below etcd's smallest lease of 1s",
                self.ttl
            ));
        }
        if self.connect_timeout().is_zero() {
            return invalid("`directory.connect_timeout` must be above zero".to_owned());
        }
        match (&self.username, &self.password_file) {
            (Some(_), None) => invalid(
                "`directory.username` is set but `directory.password_file` is not".to_owned(),
            ),
            (None, Some(_)) => invalid(
                "`directory.password_file` is set but `directory.username` is not".to_owned(),
            ),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn error(value: serde_json::Value) -> String {
        DirectoryConfig::from_value(&value).unwrap_err().to_string()
    }

    #[test]
    fn an_unknown_backend_names_the_choices() {
        let message = error(json!({ "backend": "zookeeper" }));
        assert!(message.contains("`zookeeper`"), "{message}");
        assert!(message.contains("`host`"), "{message}");
        assert!(message.contains("`etcd`"), "{message}");
    }

    #[test]
    fn an_inline_password_is_refused_in_favour_of_a_file() {
        let message = error(json!({
            "backend": "etcd", "endpoints": ["http://127.0.0.1:2379"], "password": "hunter2"
        }));
        assert!(message.contains("password_file"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn bad_etcd_settings_name_their_key() {
        let message = error(json!({ "backend": "etcd", "endpoints": [] }));
        assert!(message.contains("`directory.endpoints`"), "{message}");
        let message = error(json!({
            "backend": "etcd", "endpoints": ["127.0.0.1:2379"]
        }));
        assert!(message.contains("`127.0.0.1:2379`"), "{message}");
        let message = error(json!({
            "backend": "etcd", "endpoints": ["http://127.0.0.1:2379"], "ttl": "500ms"
        }));
        assert!(message.contains("`directory.ttl`"), "{message}");
        let message = error(json!({
            "backend": "etcd", "endpoints": ["http://127.0.0.1:2379"], "username": "root"
        }));
        assert!(message.contains("`directory.password_file`"), "{message}");
        let message = error(json!({
            "backend": "etcd", "endpoints": ["http://127.0.0.1:2379"], "ttl": "ten"
        }));
        assert!(message.contains("`directory.ttl`"), "{message}");
    }

    #[test]
    fn host_is_the_default_backend() {
        assert_eq!(
            DirectoryConfig::from_value(&json!({ "backend": "host" })).unwrap(),
            DirectoryConfig::Host
        );
    }
}
