use std::time::Duration;

use super::HostSecret;
use super::proto;

/// One running instance of a module, as it registers with the directory.
///
/// ```
/// use modkit::directory::InstanceInfo;
///
/// let instance = InstanceInfo {
///     module: "calculator".to_owned(),
///     instance_id: uuid::Uuid::new_v4().to_string(),
///     services: vec!["modkit.examples.calculator.v1.Calculator".to_owned()],
///     endpoint: "http://127.0.0.1:40123".to_owned(),
/// };
/// assert_eq!(instance.module, "calculator");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceInfo {
    /// The module's name.
    pub module: String,
    /// Unique per run of the instance (a UUID).
    pub instance_id: String,
    /// Fully qualified names (`package.Service`) of the gRPC services it serves.
    pub services: Vec<String>,
    /// Where it listens (`http://127.0.0.1:40123`).
    pub endpoint: String,
}

/// One live endpoint serving a resolved service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEndpoint {
    /// The module serving it.
    pub module: String,
    /// The instance serving it.
    pub instance_id: String,
    /// Where to connect (`http://127.0.0.1:40123`).
    pub endpoint: String,
}

/// What the directory grants a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    /// How long the registration lives without a heartbeat.
    pub ttl: Duration,
    /// How often to send heartbeats.
    pub heartbeat_interval: Duration,
}

/// Where the host's directory listens and the secret that lets a child register with it.
///
/// The gRPC hub puts one into the host's [`ClientHub`](crate::ClientHub) once it has bound
/// its endpoint (in the start phase), for the out-of-process backend to hand to children:
/// `client_hub.get::<DirectoryAccess>()`.
#[derive(Debug, Clone)]
pub struct DirectoryAccess {
    /// The directory's endpoint (`http://127.0.0.1:50051`).
    pub endpoint: String,
    /// The host's secret.
    pub secret: HostSecret,
}

impl From<InstanceInfo> for proto::Instance {
    fn from(info: InstanceInfo) -> Self {
        Self {
            module: info.module,
            instance_id: info.instance_id,
            services: info.services,
            endpoint: info.endpoint,
        }
    }
}

impl From<proto::Instance> for InstanceInfo {
    fn from(instance: proto::Instance) -> Self {
        Self {
            module: instance.module,
            instance_id: instance.instance_id,
            services: instance.services,
            endpoint: instance.endpoint,
        }
    }
}

impl From<proto::Endpoint> for ServiceEndpoint {
    fn from(endpoint: proto::Endpoint) -> Self {
        Self {
            module: endpoint.module,
            instance_id: endpoint.instance_id,
            endpoint: endpoint.endpoint,
        }
    }
}
