use std::path::PathBuf;
use std::process::ExitCode;

use crate::registry::RegistryError;

/// Why a host built by [`run_server`](super::run_server) did not run or did not stop cleanly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BootstrapError {
    /// The config file named with `--config` cannot be read.
    #[error("cannot read config file `{}`: {source}", path.display())]
    UnreadableConfig {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A config value has the wrong type, a section has an unknown key, or `modules`
    /// names a module that no linked crate provides.
    #[error("invalid config: {}", listed(issues))]
    InvalidConfig {
        /// One line per problem, each naming where it came from and the key path.
        issues: Vec<String>,
    },
    /// The linked modules do not form a valid host (unknown dependency, cycle, ...).
    #[error("the linked modules do not form a valid host")]
    Registry(#[source] RegistryError),
    /// A start-up phase failed; everything already started was stopped again.
    #[error("start-up failed")]
    Startup(#[source] RegistryError),
    /// The directory's backend could not be reached at start (etcd unreachable within
    /// `directory.connect_timeout`, or refusing the user).
    #[cfg(feature = "etcd")]
    #[error("the directory cannot start")]
    Directory(#[source] crate::directory::etcd::EtcdError),
    /// The tokio runtime could not be built.
    #[error("cannot start the async runtime: {0}")]
    AsyncRuntime(#[source] std::io::Error),
    /// Running as an out-of-process child (`oop-child`) failed.
    #[cfg(feature = "oop")]
    #[error("the out-of-process child failed")]
    OopChild(#[source] super::OopBootstrapError),
    /// A manifest given to `diff` cannot be read.
    #[error("cannot read manifest `{}`: {source}", path.display())]
    UnreadableManifest {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A file given to `diff` is not a manifest as `graph --format json` writes one.
    #[error("`{}` is not a host manifest (`graph --format json`): {reason}", path.display())]
    InvalidManifest {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the JSON path where there is one.
        reason: String,
    },
    /// `diff` found changes that break clients or a host's start-up (listed on stdout).
    #[error("{count} breaking change{} found", if *count == 1 { "" } else { "s" })]
    BreakingChanges {
        /// How many.
        count: usize,
    },
    /// Writing the command's output failed.
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),
}

impl BootstrapError {
    /// The process exit code for this error: 2 for bad config, usage or manifests, 1 for a
    /// failed start-up or breaking changes.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit_status())
    }

    pub(crate) fn exit_status(&self) -> u8 {
        match self {
            Self::Startup(_)
            | Self::AsyncRuntime(_)
            | Self::Output(_)
            | Self::BreakingChanges { .. } => 1,
            #[cfg(feature = "oop")]
            Self::OopChild(_) => 1,
            #[cfg(feature = "etcd")]
            Self::Directory(_) => 1,
            Self::UnreadableConfig { .. }
            | Self::InvalidConfig { .. }
            | Self::Registry(_)
            | Self::UnreadableManifest { .. }
            | Self::InvalidManifest { .. } => 2,
        }
    }
}

/// One problem on the same line; several, one per line.
fn listed(issues: &[String]) -> String {
    match issues {
        [one] => one.clone(),
        many => {
            let mut text = format!("{} problems", many.len());
            for issue in many {
                text.push_str("\n  - ");
                text.push_str(issue);
            }
            text
        }
    }
}
