//! The oop spawn phase's driver: once the gRPC hub listens, each out-of-process module the
//! host does not link is started and told where the hub's directory is. (A module the host
//! links but places out of process is spawned at its place in the start phase.)

use futures_util::future::join_all;

use super::OopSpawnRequest;
use crate::base::Phase;
use crate::registry::RegistryError;
use crate::runtime::{PhaseDriver, Run};

/// Spawns the children of the host's [`OopSpawnOptions`](crate::runtime::OopSpawnOptions).
#[derive(Debug)]
pub(crate) struct OopSpawnPhase;

#[async_trait::async_trait]
impl PhaseDriver for OopSpawnPhase {
    fn phase(&self) -> Phase {
        Phase::OopSpawn
    }

    async fn run(&self, run: &mut Run) -> Result<(), RegistryError> {
        let Some(oop) = run.oop_options().cloned() else {
            return Ok(());
        };
        let unspawned: Vec<&String> = oop
            .modules
            .iter()
            .filter(|module| !run.child_spawned_in_start(module))
            .collect();
        let Some(&first) = unspawned.first() else {
            return Ok(());
        };
        let phase_error = |module: &str, source: anyhow::Error| RegistryError::Phase {
            phase: Phase::OopSpawn,
            module: module.to_owned(),
            source,
        };
        let endpoint = match run.directory_endpoint() {
            Ok(Some(endpoint)) => endpoint,
            Ok(None) => {
                return Err(phase_error(
                    first,
                    anyhow::anyhow!(
                        "the gRPC hub has not bound an endpoint, so the child cannot find the directory"
                    ),
                ));
            }
            Err(no_hub) => return Err(phase_error(first, no_hub)),
        };

        run.note_children_spawned();
        let run = &*run;
        let spawns = unspawned.into_iter().map(|module| {
            let backend = &oop.backend;
            let request = OopSpawnRequest {
                module: module.clone(),
                directory_endpoint: endpoint.clone(),
                status: run.oop_status(module),
            };
            async move { (module, backend.spawn(request).await) }
        });
        let results = tokio::select! {
            results = join_all(spawns) => results,
            () = run.cancel_token().cancelled() => return Err(RegistryError::Cancelled { phase: Phase::OopSpawn }),
        };
        for (module, result) in results {
            result.map_err(|source| phase_error(module, source))?;
        }
        Ok(())
    }
}
