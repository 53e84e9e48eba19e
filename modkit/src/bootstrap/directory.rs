//! The host's `directory` section: which backend keeps the directory, started before the
//! modules so that start-up fails early when it cannot be reached.

use serde_json::Value;

use super::{BootstrapError, HostConfig};
use crate::client_hub::ClientHub;

/// The directory backend the host runs; stops following it when dropped.
#[derive(Debug, Default)]
pub(super) struct RunningDirectory {
    #[cfg(feature = "etcd")]
    stop: Option<tokio_util::sync::CancellationToken>,
}

impl Drop for RunningDirectory {
    fn drop(&mut self) {
        #[cfg(feature = "etcd")]
        if let Some(stop) = self.stop.take() {
            stop.cancel();
        }
    }
}

/// The `directory` section, checked: `Some` when it names a backend other than the host's
/// own directory (its section, to hand to out-of-process children).
pub(super) fn configured(config: &HostConfig) -> Result<Option<Value>, BootstrapError> {
    match directory_config(config)? {
        None => Ok(None),
        Some(_) => Ok(Some(config.directory.clone())),
    }
}

/// Connects to the configured backend and puts its view into `client_hub` as
/// `Arc<dyn DirectoryView>`, for remote clients and `/healthz`.
#[cfg(feature = "etcd")]
pub(super) async fn start(
    config: &HostConfig,
    client_hub: &ClientHub,
) -> Result<RunningDirectory, BootstrapError> {
    use std::sync::Arc;

    let Some(crate::directory::DirectoryConfig::Etcd(etcd)) = directory_config(config)? else {
        return Ok(RunningDirectory::default());
    };
    let directory = crate::directory::etcd::EtcdDirectory::connect(&etcd)
        .await
        .map_err(BootstrapError::Directory)?;
    let stop = tokio_util::sync::CancellationToken::new();
    let view = directory
        .follow(stop.clone())
        .await
        .map_err(BootstrapError::Directory)?;
    client_hub.register::<dyn crate::directory::DirectoryView>(view);
    client_hub.register(Arc::new(directory));
    Ok(RunningDirectory { stop: Some(stop) })
}

#[cfg(not(feature = "etcd"))]
pub(super) async fn start(
    config: &HostConfig,
    _client_hub: &ClientHub,
) -> Result<RunningDirectory, BootstrapError> {
    directory_config(config)?;
    Ok(RunningDirectory::default())
}

/// The parsed section: `None` for `backend: host`.
#[cfg(feature = "grpc-hub")]
fn directory_config(
    config: &HostConfig,
) -> Result<Option<crate::directory::DirectoryConfig>, BootstrapError> {
    use crate::directory::DirectoryConfig;

    let invalid = |issue: String| BootstrapError::InvalidConfig {
        issues: vec![issue],
    };
    match DirectoryConfig::from_value(&config.directory).map_err(|e| invalid(e.to_string()))? {
        DirectoryConfig::Host => Ok(None),
        DirectoryConfig::Etcd(_) if !cfg!(feature = "etcd") => Err(invalid(
            "`directory.backend: etcd` needs modkit's `etcd` cargo feature, which this binary was built without".to_owned(),
        )),
        etcd @ DirectoryConfig::Etcd(_) => Ok(Some(etcd)),
    }
}

/// Without the gRPC hub there is no directory to configure but the host's default.
#[cfg(not(feature = "grpc-hub"))]
fn directory_config(config: &HostConfig) -> Result<Option<()>, BootstrapError> {
    let backend = config.directory.get("backend").and_then(Value::as_str);
    match backend {
        None | Some("host") => Ok(None),
        Some(other) => Err(BootstrapError::InvalidConfig {
            issues: vec![format!(
                "`directory.backend: {other}` needs modkit's `grpc-hub` and `{other}` cargo features, which this binary was built without"
            )],
        }),
    }
}
