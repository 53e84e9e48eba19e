use std::fmt;

use super::ConfigProblem;
use super::problem::NameList;
use crate::base::Phase;

/// Why a registry could not be built or a host could not run its modules.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The registered modules do not fit together; every problem found is listed.
    #[error("{}", Problems(.problems))]
    InvalidConfiguration {
        /// Everything that is wrong, in a stable order.
        problems: Vec<ConfigProblem>,
    },

    /// A module's hook failed, panicked or ran past its deadline.
    #[error("module `{module}` failed in the {phase} phase")]
    Phase {
        /// The phase that was running.
        phase: Phase,
        /// The module whose hook failed.
        module: String,
        /// What went wrong; see [`HookTimedOut`](crate::base::HookTimedOut) and
        /// [`HookPanicked`](crate::base::HookPanicked) for the runtime's own causes.
        #[source]
        source: anyhow::Error,
    },

    /// Modules have the `rest` capability but no module is the REST host.
    #[error(
        "{} publish REST endpoints, but no module is the REST host; enable modkit's `api-gateway` feature and link it, or give one module the `rest_host` capability",
        NameList(.modules)
    )]
    RestRequiresHost {
        /// The REST modules.
        modules: Vec<String>,
    },

    /// Modules have the `grpc` capability but no module is the gRPC hub.
    #[error(
        "{} publish gRPC services, but no module is the gRPC hub; enable modkit's `grpc-hub` feature and link it, or give one module the `grpc_hub` capability",
        NameList(.modules)
    )]
    GrpcRequiresHub {
        /// The gRPC modules.
        modules: Vec<String>,
    },

    /// Two modules offer a gRPC service of the same name.
    #[error(
        "gRPC service `{service}` is offered by both `{first}` and `{second}`; a service name must be unique in a host"
    )]
    DuplicateGrpcService {
        /// The fully qualified service name.
        service: String,
        /// The module that offered it first.
        first: String,
        /// The module that offered it again.
        second: String,
    },

    /// A module's `modules.<name>.runtime` settings could not be read; nothing was run.
    #[error("{reason}")]
    InvalidModuleSettings {
        /// The module.
        module: String,
        /// What is wrong, naming the key.
        reason: String,
    },

    /// The host was asked to shut down before start-up finished.
    #[error("start-up was cancelled during the {phase} phase")]
    Cancelled {
        /// The phase that was running.
        phase: Phase,
    },
}

impl RegistryError {
    /// The configuration problems, if this is [`RegistryError::InvalidConfiguration`].
    pub fn problems(&self) -> &[ConfigProblem] {
        match self {
            Self::InvalidConfiguration { problems } => problems,
            _ => &[],
        }
    }

    /// The phase and module of a [`RegistryError::Phase`].
    pub fn phase_and_module(&self) -> Option<(Phase, &str)> {
        match self {
            Self::Phase { phase, module, .. } => Some((*phase, module)),
            _ => None,
        }
    }
}

struct Problems<'a>(&'a [ConfigProblem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [single] => write!(f, "invalid module registry: {single}"),
            many => {
                write!(f, "invalid module registry ({} problems):", many.len())?;
                for problem in many {
                    write!(f, "\n  - {problem}")?;
                }
                Ok(())
            }
        }
    }
}
