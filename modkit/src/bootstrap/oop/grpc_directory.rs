//! The host's directory over gRPC: what a child registers with by default.

use crate::directory::{DirectoryClient, GrpcClientTls, HostSecret, InstanceInfo};

use super::{OopDirectory, Registered, ServiceRegistration};

/// Registers, heartbeats and deregisters through the host's `grpc-hub` directory service
/// at the registration's `directory_endpoint`, presenting the host's secret.
#[derive(Debug, Clone, Copy, Default)]
pub struct GrpcDirectory;

impl GrpcDirectory {
    fn client(registration: &ServiceRegistration) -> anyhow::Result<DirectoryClient> {
        // Read again at every call: a renewed certificate is presented from the next one.
        let tls = registration
            .tls
            .as_ref()
            .map(|tls| GrpcClientTls::from_config(super::TLS_SECTION, tls))
            .transpose()?;
        Ok(DirectoryClient::connect_lazy_with(
            &registration.directory_endpoint,
            tls.as_ref(),
        )?)
    }
}

#[async_trait::async_trait]
impl OopDirectory for GrpcDirectory {
    async fn register(&self, registration: &ServiceRegistration) -> anyhow::Result<Registered> {
        let instance = InstanceInfo {
            module: registration.module.clone(),
            instance_id: registration.instance_id.to_string(),
            services: registration.services.clone(),
            endpoint: registration.endpoint.clone(),
        };
        let lease = Self::client(registration)?
            .register(&HostSecret::new(&registration.secret), &instance)
            .await?;
        Ok(Registered {
            heartbeat_interval: Some(lease.heartbeat_interval),
        })
    }

    async fn heartbeat(&self, registration: &ServiceRegistration) -> anyhow::Result<()> {
        self.heartbeat_serving(registration, true).await
    }

    async fn heartbeat_serving(
        &self,
        registration: &ServiceRegistration,
        serving: bool,
    ) -> anyhow::Result<()> {
        Self::client(registration)?
            .heartbeat_serving(
                &HostSecret::new(&registration.secret),
                &registration.module,
                &registration.instance_id.to_string(),
                serving,
            )
            .await?;
        Ok(())
    }

    async fn deregister(&self, registration: &ServiceRegistration) -> anyhow::Result<()> {
        Self::client(registration)?
            .deregister(
                &HostSecret::new(&registration.secret),
                &registration.module,
                &registration.instance_id.to_string(),
            )
            .await?;
        Ok(())
    }
}
