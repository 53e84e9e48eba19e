//! What the host handed the child: its module's config, the directory, the secrets.

use std::path::PathBuf;

use serde_json::json;

use super::OopBootstrapError;
use crate::config::ModulesConfig;
use crate::oop::protocol::{
    ChildConfig, ChildSecrets, DIRECTORY_ENDPOINT_ENV, LIFELINE_ENV, LIFELINE_STDIN,
    SECRET_FILE_ENV,
};

#[derive(Debug)]
pub(super) struct ChildSetup {
    pub(super) config: ChildConfig,
    pub(super) directory_endpoint: String,
    pub(super) secrets: ChildSecrets,
    /// Whether stdin is the host's lifeline.
    pub(super) lifeline: bool,
}

impl ChildSetup {
    /// Reads the environment, then the secret file (which holds the module's config too),
    /// which it deletes: nobody else needs it.
    pub(super) fn from_env() -> Result<Self, OopBootstrapError> {
        let directory_endpoint = required(DIRECTORY_ENDPOINT_ENV)?;
        let secret_file =
            std::env::var_os(SECRET_FILE_ENV).ok_or(OopBootstrapError::MissingVariable {
                variable: SECRET_FILE_ENV,
            })?;
        let mut secrets = read_secrets(PathBuf::from(secret_file))?;
        let config = ChildConfig {
            module: std::mem::take(&mut secrets.child.module),
            config: secrets.child.config.take(),
        };
        Ok(Self {
            config,
            directory_endpoint,
            secrets,
            lifeline: std::env::var(LIFELINE_ENV).as_deref() == Ok(LIFELINE_STDIN),
        })
    }

    /// The TLS section the host handed over, if the host and its children speak mutual
    /// TLS.
    pub(super) fn tls(&self) -> Result<Option<crate::tls::TlsConfig>, OopBootstrapError> {
        self.secrets
            .tls
            .clone()
            .map(serde_json::from_value)
            .transpose()
            .map_err(|error| OopBootstrapError::InvalidVariable {
                variable: SECRET_FILE_ENV,
                reason: format!("its `tls` section cannot be read: {error}"),
            })
    }

    /// The child's modules' configuration: its module's `config` and `database` sections.
    pub(super) fn modules_config(&self) -> ModulesConfig {
        let mut section = json!({ "config": self.config.config });
        if let Some(database) = &self.secrets.database {
            section["database"] = database.clone();
        }
        ModulesConfig::new(json!({ self.config.module.as_str(): section }))
    }
}

fn required(variable: &'static str) -> Result<String, OopBootstrapError> {
    std::env::var(variable).map_err(|error| match error {
        std::env::VarError::NotPresent => OopBootstrapError::MissingVariable { variable },
        std::env::VarError::NotUnicode(_) => OopBootstrapError::InvalidVariable {
            variable,
            reason: "not valid UTF-8".to_owned(),
        },
    })
}

fn read_secrets(path: PathBuf) -> Result<ChildSecrets, OopBootstrapError> {
    let failed = |reason: String| OopBootstrapError::SecretFile {
        path: path.clone(),
        reason,
    };
    let text = std::fs::read_to_string(&path).map_err(|error| failed(error.to_string()))?;
    let _ = std::fs::remove_file(&path);
    serde_json::from_str(&text).map_err(|error| failed(error.to_string()))
}
