use std::path::PathBuf;

/// The directory on etcd could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EtcdError {
    /// No endpoint answered within `directory.connect_timeout`.
    #[error(
        "cannot reach etcd at {} within {timeout:?} (`directory.connect_timeout`): {reason}",
        endpoints.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
    )]
    Unreachable {
        /// `directory.endpoints`.
        endpoints: Vec<String>,
        /// How long start-up waited.
        timeout: std::time::Duration,
        /// The last failure.
        reason: String,
    },
    /// etcd refused the user's credentials (the password is never shown).
    #[error("etcd at {endpoints} refused user `{user}`: {reason}")]
    Authentication {
        /// `directory.username`.
        user: String,
        /// `directory.endpoints`, joined.
        endpoints: String,
        /// etcd's words.
        reason: String,
    },
    /// `directory.password_file` could not be read.
    #[error("cannot read `directory.password_file` `{}`: {reason}", path.display())]
    PasswordFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Another live instance holds the key: two processes claim one instance id.
    #[error(
        "instance `{instance_id}` of module `{module}` is already registered at `{key}` by another process (endpoint `{endpoint}`); instance ids must be unique"
    )]
    DuplicateInstance {
        /// The module.
        module: String,
        /// The instance id claimed twice.
        instance_id: String,
        /// Its key.
        key: String,
        /// Where the instance that holds it listens.
        endpoint: String,
    },
    /// A call to etcd failed.
    #[error("etcd `{operation}` failed: {source}")]
    Call {
        /// What was asked (`lease grant`, `put`, `range`, ...).
        operation: &'static str,
        /// The client's error.
        #[source]
        source: etcd_client::Error,
    },
    /// A call to etcd did not answer in time.
    #[error("etcd `{operation}` did not answer within {timeout:?}")]
    Timeout {
        /// What was asked.
        operation: &'static str,
        /// How long it was given.
        timeout: std::time::Duration,
    },
}

impl EtcdError {
    pub(super) fn call(operation: &'static str) -> impl FnOnce(etcd_client::Error) -> Self {
        move |source| Self::Call { operation, source }
    }
}
