use std::path::PathBuf;

use crate::registry::RegistryError;

/// Why an out-of-process child could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OopBootstrapError {
    /// A variable the host sets is missing: the binary was not started by a modkit host.
    #[error("`{variable}` is not set; this binary runs as the child of a modkit host")]
    MissingVariable {
        /// The variable.
        variable: &'static str,
    },
    /// A variable the host sets does not hold what it should.
    #[error("invalid `{variable}`: {reason}")]
    InvalidVariable {
        /// The variable.
        variable: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The secret file could not be read.
    #[error("cannot read the secret file `{path}`: {reason}")]
    SecretFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The child's modules did not start (or stopped with an error).
    #[error(transparent)]
    Modules(#[from] RegistryError),
    /// The directory refused the child's registration.
    #[error("cannot register module `{module}` with the directory at `{directory}`: {source}")]
    Directory {
        /// The module.
        module: String,
        /// The directory endpoint.
        directory: String,
        /// What the directory said.
        source: anyhow::Error,
    },
    /// The process could not set itself up (async runtime, signal handlers).
    #[error("cannot set up the child process: {0}")]
    Process(#[source] std::io::Error),
}
