//! The oop spawn phase: once the gRPC hub listens, each out-of-process module's child is
//! started and told where the hub's directory is.

use futures_util::future::join_all;

use super::Run;
use crate::oop::{OopModuleStatus, OopSpawnRequest};
use crate::registry::{GrpcHubCap, RegistryError};
use crate::runtime::Phase;

impl Run {
    pub(super) async fn spawn_oop(&mut self) -> Result<(), RegistryError> {
        let Some(oop) = self.oop.clone() else {
            return Ok(());
        };
        // Modules linked into the host were spawned at their place in the start phase.
        let unspawned: Vec<&String> = oop
            .modules
            .iter()
            .filter(|module| !self.spawned_in_start(module))
            .collect();
        let Some(&first) = unspawned.first() else {
            return Ok(());
        };
        let phase_error = |module: &str, source: anyhow::Error| RegistryError::Phase {
            phase: Phase::OopSpawn,
            module: module.to_owned(),
            source,
        };
        let endpoint = self
            .registry
            .grpc_hub
            .as_deref()
            .and_then(|hub| self.registry.get_module(hub))
            .and_then(|hub| hub.caps().query::<GrpcHubCap>())
            .map(|hub| hub.bound_endpoint());
        let endpoint = match endpoint {
            Some(Some(endpoint)) => endpoint,
            Some(None) => {
                return Err(phase_error(
                    first,
                    anyhow::anyhow!(
                        "the gRPC hub has not bound an endpoint, so the child cannot find the directory"
                    ),
                ));
            }
            None => {
                return Err(phase_error(
                    first,
                    anyhow::anyhow!(
                        "out-of-process modules need a gRPC hub; link one (`grpc_hub` capability)"
                    ),
                ));
            }
        };

        self.progress.oop_spawned = true;
        let spawns = unspawned.into_iter().map(|module| {
            let backend = &oop.backend;
            let request = OopSpawnRequest {
                module: module.clone(),
                directory_endpoint: endpoint.clone(),
                status: self.oop_status(module),
            };
            async move { (module, backend.spawn(request).await) }
        });
        let results = tokio::select! {
            results = join_all(spawns) => results,
            () = self.cancel.cancelled() => return Err(RegistryError::Cancelled { phase: Phase::OopSpawn }),
        };
        for (module, result) in results {
            result.map_err(|source| phase_error(module, source))?;
        }
        Ok(())
    }
}

impl Run {
    /// The report state an out-of-process module's backend keeps current: the module's own
    /// when the host links it, else a detached one.
    pub(super) fn oop_status(&self, module: &str) -> OopModuleStatus {
        match self
            .registry
            .modules()
            .iter()
            .position(|entry| entry.name() == module)
        {
            Some(position) => OopModuleStatus::of(self.modules[position].ctx.handle().clone()),
            // One small name per configured module and run, kept for the process's life.
            None => OopModuleStatus::detached(Box::leak(module.to_owned().into_boxed_str())),
        }
    }
}
