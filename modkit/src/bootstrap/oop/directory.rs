//! What a child needs from the host's directory: register, heartbeat, deregister.

use std::fmt;
use std::time::Duration;

use uuid::Uuid;

/// One child's entry in the host's directory.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceRegistration {
    /// The out-of-process module.
    pub module: String,
    /// This run of the child.
    pub instance_id: Uuid,
    /// Where it serves gRPC (`http://127.0.0.1:40001`).
    pub endpoint: String,
    /// The fully qualified gRPC services it serves there.
    pub services: Vec<String>,
    /// The host's directory endpoint (`MODKIT_DIRECTORY_ENDPOINT`).
    pub directory_endpoint: String,
    /// The per-host secret that proves the child was started by this host.
    pub secret: String,
    /// The certificate to present to the host's directory, and the CA its certificate is
    /// checked against, when the host and its children speak mutual TLS.
    pub tls: Option<crate::tls::TlsConfig>,
}

impl fmt::Debug for ServiceRegistration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceRegistration")
            .field("module", &self.module)
            .field("instance_id", &self.instance_id)
            .field("endpoint", &self.endpoint)
            .field("services", &self.services)
            .field("directory_endpoint", &self.directory_endpoint)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// What a directory grants a registration.
///
/// ```
/// use std::time::Duration;
/// use modkit::bootstrap::Registered;
///
/// let granted = Registered { heartbeat_interval: Some(Duration::from_secs(5)) };
/// assert_eq!(Registered::default().heartbeat_interval, None);
/// # let _ = granted;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Registered {
    /// How often the directory wants heartbeats, if it says; the child heartbeats at this
    /// or [`heartbeat_interval`](super::OopRunOptions::heartbeat_interval), whichever is
    /// shorter, so that its registration never expires while it is well.
    pub heartbeat_interval: Option<Duration>,
}

/// The host's directory as a child sees it.
///
/// [`run_oop_with`](super::run_oop_with) registers once the child's modules run, heartbeats
/// every [`heartbeat_interval`](super::OopRunOptions::heartbeat_interval) or as often as the
/// directory asks, if more often (registering again after a failed heartbeat), and
/// deregisters before its modules stop.
#[async_trait::async_trait]
pub trait OopDirectory: Send + Sync {
    /// Adds the child's services at its endpoint.
    async fn register(&self, registration: &ServiceRegistration) -> anyhow::Result<Registered>;
    /// Tells the directory the child is still alive.
    async fn heartbeat(&self, registration: &ServiceRegistration) -> anyhow::Result<()>;
    /// Tells the directory the child is still alive, and whether its module serves (its
    /// state is ready or degraded and its health check does not find it down). A directory
    /// that cannot tell callers about it ignores `serving` (the default).
    async fn heartbeat_serving(
        &self,
        registration: &ServiceRegistration,
        serving: bool,
    ) -> anyhow::Result<()> {
        let _ = serving;
        self.heartbeat(registration).await
    }
    /// Removes the child's services.
    async fn deregister(&self, registration: &ServiceRegistration) -> anyhow::Result<()>;
}

/// A directory that records nothing: for a child whose callers find it another way.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoDirectory;

#[async_trait::async_trait]
impl OopDirectory for NoDirectory {
    async fn register(&self, registration: &ServiceRegistration) -> anyhow::Result<Registered> {
        tracing::debug!(?registration, "no directory: registration skipped");
        Ok(Registered::default())
    }

    async fn heartbeat(&self, _registration: &ServiceRegistration) -> anyhow::Result<()> {
        Ok(())
    }

    async fn deregister(&self, _registration: &ServiceRegistration) -> anyhow::Result<()> {
        Ok(())
    }
}
