//! How a host and its out-of-process child talk, besides gRPC.
//!
//! | channel | direction | carries |
//! |---|---|---|
//! | `MODKIT_DIRECTORY_ENDPOINT` | host → child | where to register (the hub's directory) |
//! | `MODKIT_SECRET_FILE` | host → child | the *path* of a file readable only by the host's user, in a directory only that user can enter, holding [`ChildSecrets`] as JSON (the module's name and `config` section, the directory secret, the module's `database` section); the child deletes it once read |
//! | `MODKIT_LIFELINE=stdin` | host → child | the child's stdin is a pipe the host never writes: end of file means the host is gone (even SIGKILLed), and the child shuts down |
//! | a [ready line](ready_line) on stdout | child → host | the child's modules run and its services are registered at this endpoint |
//!
//! Neither secrets nor the module's config (which may hold secrets) travel in the
//! environment or on the command line, which other processes of the same user can read in
//! `/proc/<pid>/environ` and `/proc/<pid>/cmdline`.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The endpoint of the host's directory service.
pub const DIRECTORY_ENDPOINT_ENV: &str = "MODKIT_DIRECTORY_ENDPOINT";
/// The path of the child's [`ChildSecrets`] file (its module's config included).
pub const SECRET_FILE_ENV: &str = "MODKIT_SECRET_FILE";
/// `stdin` when the child's stdin is the host's lifeline.
pub const LIFELINE_ENV: &str = "MODKIT_LIFELINE";
/// The value of [`LIFELINE_ENV`] the host sets.
pub const LIFELINE_STDIN: &str = "stdin";

const READY_PREFIX: &str = "modkit-oop-ready endpoint=";

/// What the child learns of its module's configuration.
///
/// Its `Debug` shows the module's name only: the config may hold secrets.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildConfig {
    /// The out-of-process module.
    pub module: String,
    /// Its `modules.<name>.config` section (`null` when it has none).
    #[serde(default)]
    pub config: Value,
}

impl fmt::Debug for ChildConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildConfig")
            .field("module", &self.module)
            .field("config", &"<redacted>")
            .finish()
    }
}

/// What the child learns through its private secret file: everything the host hands it
/// but the directory's endpoint.
///
/// As JSON, the fields of [`ChildConfig`] sit beside the others:
///
/// ```
/// use modkit::oop::protocol::ChildSecrets;
///
/// let secrets: ChildSecrets = serde_json::from_str(
///     r#"{"module": "calculator", "config": {"precision": 8}, "directory_secret": "s"}"#,
/// )
/// .unwrap();
/// assert_eq!(secrets.child.module, "calculator");
/// assert_eq!(secrets.child.config["precision"], 8);
/// assert!(!format!("{secrets:?}").contains("precision"));
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildSecrets {
    /// The module and its `modules.<name>.config` section.
    #[serde(flatten)]
    pub child: ChildConfig,
    /// The per-host secret the child presents to the directory.
    #[serde(default)]
    pub directory_secret: String,
    /// The module's `modules.<name>.database` section, credentials included.
    #[serde(default)]
    pub database: Option<Value>,
    /// The host's `directory` section when the directory is not the host's own (`backend:
    /// etcd`): the child registers there instead.
    #[serde(default)]
    pub directory: Option<Value>,
    /// The host's instance id, recorded as the child's host in the directory.
    #[serde(default)]
    pub host_id: Option<String>,
    /// The host's gRPC `tls` section (`cert_file`, `key_file`, `client_ca_file`: paths)
    /// when the host and its children speak mutual TLS: the child serves TLS with that
    /// certificate, requires a client certificate from that CA, and presents the same
    /// certificate to the host's directory.
    #[serde(default)]
    pub tls: Option<Value>,
}

impl fmt::Debug for ChildSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildSecrets")
            .field("child", &self.child)
            .field("directory_secret", &"<redacted>")
            .field("database", &self.database.as_ref().map(|_| "<redacted>"))
            .field("directory", &self.directory.as_ref().map(|_| "<redacted>"))
            .field("host_id", &self.host_id)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

/// The line a child prints on stdout once it is running, serving gRPC at `endpoint`.
///
/// ```
/// use modkit::oop::protocol::{parse_ready_line, ready_line};
///
/// let line = ready_line("http://127.0.0.1:40001");
/// assert_eq!(parse_ready_line(&line), Some("http://127.0.0.1:40001"));
/// assert_eq!(parse_ready_line("INFO listening"), None);
/// ```
pub fn ready_line(endpoint: &str) -> String {
    format!("{READY_PREFIX}{endpoint}")
}

/// The endpoint of a [ready line](ready_line), or `None` for any other line.
pub fn parse_ready_line(line: &str) -> Option<&str> {
    line.trim_end().strip_prefix(READY_PREFIX)
}
