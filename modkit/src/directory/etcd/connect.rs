//! [`EtcdDirectory`]: a connection to etcd checked at start, with the user's credentials.

use std::path::Path;
use std::time::Duration;

use etcd_client::{Client, ConnectOptions};
use tokio::time::Instant;

use super::EtcdError;
use super::record::instances_prefix;
use crate::directory::EtcdConfig;

/// The first pause between two tries to reach etcd at start; doubled each time, up to a
/// second.
const RETRY_MIN: Duration = Duration::from_millis(50);
const RETRY_MAX: Duration = Duration::from_secs(1);

/// How often the HTTP/2 connection to etcd is pinged, and how long a ping may go
/// unanswered: a member that stops answering (stopped, or cut off) breaks the watch and the
/// lease's keep-alive this soon, rather than when TCP gives up.
const PING_INTERVAL: Duration = Duration::from_secs(1);
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// The directory on etcd: a client of `directory.endpoints`, authenticated as
/// `directory.username` if set. Registers instances
/// ([`register`](Self::register)) and keeps views ([`follow`](Self::follow)).
///
/// Cheap to clone; clones share the connection.
#[derive(Clone)]
pub struct EtcdDirectory {
    pub(super) client: Client,
    pub(super) config: EtcdConfig,
    pub(super) instances_prefix: String,
}

impl std::fmt::Debug for EtcdDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EtcdDirectory")
            .field("endpoints", &self.config.endpoints)
            .field("prefix", &self.config.prefix)
            .field("user", &self.config.username)
            .finish_non_exhaustive()
    }
}

impl EtcdDirectory {
    /// Connects to etcd and checks that it answers, trying again until
    /// `directory.connect_timeout` has passed; then fails naming the endpoints. A refused
    /// password fails at once, naming the user (never the password, which is read from
    /// `directory.password_file`).
    pub async fn connect(config: &EtcdConfig) -> Result<Self, EtcdError> {
        let mut options = ConnectOptions::new()
            .with_connect_timeout(config.connect_timeout().min(Duration::from_secs(2)))
            .with_keep_alive(PING_INTERVAL, PING_TIMEOUT)
            .with_keep_alive_while_idle(true);
        if let (Some(user), Some(file)) = (&config.username, &config.password_file) {
            options = options.with_user(user.clone(), read_password(file)?);
        }
        let timeout = config.connect_timeout();
        let deadline = Instant::now() + timeout;
        let unreachable = |reason: String| EtcdError::Unreachable {
            endpoints: config.endpoints.clone(),
            timeout,
            reason,
        };
        let mut retry = RETRY_MIN;
        let mut last = "no answer".to_owned();
        loop {
            let attempt = tokio::time::timeout_at(deadline, async {
                let mut client = Client::connect(&config.endpoints, Some(options.clone())).await?;
                client.status().await?;
                Ok::<_, etcd_client::Error>(client)
            })
            .await;
            match attempt {
                Ok(Ok(client)) => {
                    tracing::info!(endpoints = ?config.endpoints, prefix = %config.prefix, "directory on etcd");
                    return Ok(Self {
                        client,
                        instances_prefix: instances_prefix(config.prefix()),
                        config: config.clone(),
                    });
                }
                Ok(Err(error)) => {
                    if let Some(reason) = refused_credentials(&error) {
                        return Err(EtcdError::Authentication {
                            user: config.username.clone().unwrap_or_default(),
                            endpoints: config.endpoints.join(", "),
                            reason,
                        });
                    }
                    last = error.to_string();
                }
                Err(_) => return Err(unreachable(last)),
            }
            if Instant::now() + retry >= deadline {
                return Err(unreachable(last));
            }
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(RETRY_MAX);
        }
    }

    /// The settings it was made with.
    pub fn config(&self) -> &EtcdConfig {
        &self.config
    }

    /// The etcd client, for what this type does not offer.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// How long one call to etcd may take before it counts as failed.
    pub(super) fn call_timeout(&self) -> Duration {
        self.config.connect_timeout()
    }

    /// Runs one call to etcd within [`call_timeout`](Self::call_timeout).
    pub(super) async fn call<T>(
        &self,
        operation: &'static str,
        call: impl Future<Output = Result<T, etcd_client::Error>>,
    ) -> Result<T, EtcdError> {
        let timeout = self.call_timeout();
        match tokio::time::timeout(timeout, call).await {
            Ok(result) => result.map_err(EtcdError::call(operation)),
            Err(_) => Err(EtcdError::Timeout { operation, timeout }),
        }
    }
}

/// etcd's reason when it refused the credentials, if that is why `error` happened.
fn refused_credentials(error: &etcd_client::Error) -> Option<String> {
    let etcd_client::Error::GRpcStatus(status) = error else {
        return None;
    };
    let message = status.message();
    let about_auth = message.contains("authentication")
        || message.contains("user name")
        || message.contains("password")
        || message.contains("permission denied");
    let refused = matches!(
        status.code(),
        tonic::Code::InvalidArgument
            | tonic::Code::Unauthenticated
            | tonic::Code::PermissionDenied
            | tonic::Code::FailedPrecondition
    );
    (refused && about_auth).then(|| message.to_owned())
}

fn read_password(path: &Path) -> Result<String, EtcdError> {
    let text = std::fs::read_to_string(path).map_err(|error| EtcdError::PasswordFile {
        path: path.to_owned(),
        reason: error.to_string(),
    })?;
    let password = text.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(EtcdError::PasswordFile {
            path: path.to_owned(),
            reason: "the file is empty".to_owned(),
        });
    }
    Ok(password.to_owned())
}
