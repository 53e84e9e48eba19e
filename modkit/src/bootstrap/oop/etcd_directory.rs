//! The directory on etcd, as a child registers with it when its host's is there.

use std::time::Duration;

use tokio::sync::{Mutex, OnceCell};

use super::{OopDirectory, Registered, ServiceRegistration};
use crate::directory::etcd::{EtcdDirectory, EtcdRegistration};
use crate::directory::{EtcdConfig, InstanceInfo};

/// Registers the child's instance in etcd under a lease its own task keeps alive (see
/// [`EtcdRegistration`]); the child's heartbeats only report whether that still holds.
#[derive(Debug)]
pub(super) struct EtcdOopDirectory {
    config: EtcdConfig,
    host_id: String,
    connected: OnceCell<EtcdDirectory>,
    registration: Mutex<Option<EtcdRegistration>>,
}

impl EtcdOopDirectory {
    pub(super) fn new(config: EtcdConfig, host_id: String) -> Self {
        Self {
            config,
            host_id,
            connected: OnceCell::new(),
            registration: Mutex::new(None),
        }
    }

    fn granted(&self) -> Registered {
        Registered {
            heartbeat_interval: Some((self.config.ttl() / 3).max(Duration::from_millis(100))),
        }
    }
}

#[async_trait::async_trait]
impl OopDirectory for EtcdOopDirectory {
    async fn register(&self, registration: &ServiceRegistration) -> anyhow::Result<Registered> {
        let mut held = self.registration.lock().await;
        if held.is_some() {
            // Its own task is keeping it (or getting it back).
            return Ok(self.granted());
        }
        let directory = self
            .connected
            .get_or_try_init(|| EtcdDirectory::connect(&self.config))
            .await?;
        let instance = InstanceInfo {
            module: registration.module.clone(),
            instance_id: registration.instance_id.to_string(),
            services: registration.services.clone(),
            endpoint: registration.endpoint.clone(),
        };
        *held = Some(directory.register(&instance, &self.host_id).await?);
        Ok(self.granted())
    }

    async fn heartbeat(&self, _registration: &ServiceRegistration) -> anyhow::Result<()> {
        match &*self.registration.lock().await {
            Some(registration) if registration.is_current() => Ok(()),
            Some(registration) => Err(anyhow::anyhow!(
                "the registration `{}` is not current in etcd; its task keeps retrying",
                registration.key()
            )),
            None => Err(anyhow::anyhow!("not registered in etcd")),
        }
    }

    async fn deregister(&self, _registration: &ServiceRegistration) -> anyhow::Result<()> {
        if let Some(registration) = self.registration.lock().await.take() {
            registration.close().await;
        }
        Ok(())
    }
}
