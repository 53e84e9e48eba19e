use std::path::PathBuf;
use std::time::Duration;

/// A module's `runtime` section does not describe a runnable out-of-process module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OopConfigError {
    /// A key has the wrong type or value, or is unknown.
    #[error("invalid `modules.{module}.runtime.{path}`: {reason}")]
    Invalid {
        /// The module.
        module: String,
        /// The key under `runtime`.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `type: oop` without `execution.binary`.
    #[error(
        "module `{module}` is configured `oop` but `modules.{module}.runtime.execution.binary` is missing"
    )]
    MissingExecution {
        /// The module.
        module: String,
    },
    /// The module has no `runtime.type: oop`, yet a backend was asked to spawn it.
    #[error("module `{module}` is not configured `oop` (`modules.{module}.runtime.type`)")]
    NotOop {
        /// The module.
        module: String,
    },
}

/// A child process could not be started or did not come up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OopError {
    /// The module's configuration is unusable.
    #[error(transparent)]
    Config(#[from] OopConfigError),
    /// The binary could not be started (missing, not executable, bad working directory).
    #[error("cannot start the child of module `{module}` from `{binary}`: {source}")]
    Spawn {
        /// The module.
        module: String,
        /// The configured binary.
        binary: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The private file that carries the child's secrets could not be written.
    #[error("cannot write the secret file of module `{module}` at `{path}`: {source}")]
    SecretFile {
        /// The module.
        module: String,
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The child ran but did not report that it is running within its start timeout.
    #[error("the child of module `{module}` did not report running within {limit:?}")]
    NotReady {
        /// The module.
        module: String,
        /// The start timeout.
        limit: Duration,
    },
    /// The backend was asked to spawn a module twice, or after it was stopped.
    #[error("module `{module}`: {reason}")]
    Refused {
        /// The module.
        module: String,
        /// Why.
        reason: &'static str,
    },
}
