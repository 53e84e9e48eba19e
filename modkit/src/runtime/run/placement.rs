//! Modules placed out of process (`modules.<name>.runtime.type: oop`).
//!
//! Such a module keeps its place in the graph, but the host runs none of its hooks:
//! * in **init**, at its place, the host runs the module's [`RemoteClient`]s instead, which
//!   put a client of its API that calls the child into the ClientHub;
//! * in **start**, at its place, the host spawns its child and waits until the spawner
//!   reports it running (registered with the directory), so modules that depend on it
//!   start only once its child is ready. The gRPC hub must have bound its endpoint first:
//!   the spawn waits for it, within the module's start deadline.
//!
//! Out-of-process modules that are not linked into the host have no place in the graph;
//! the **oop spawn** phase spawns them after the start phase.

use std::time::Duration;

use super::Run;
use crate::base::ModuleId;
use crate::config::ConfigProvider;
use crate::registry::{GrpcHubCap, RegistryError};
use crate::runtime::options::Placement;
use crate::runtime::{OopSpawnOptions, RemoteClient, RuntimeOptions};

/// How often a spawn waiting for the gRPC hub's endpoint looks again.
const HUB_POLL: Duration = Duration::from_millis(5);

/// Whether module `name` runs out of process: configured `runtime.type: oop`, or named by
/// the host's [`OopSpawnOptions`]. Configured `oop` in a host without a spawner is an error,
/// since running it in-process instead would break the configuration's promise.
pub(super) fn is_out_of_process(
    name: &str,
    config: &dyn ConfigProvider,
    oop: Option<&OopSpawnOptions>,
) -> Result<bool, RegistryError> {
    let invalid = |reason: String| RegistryError::InvalidModuleSettings {
        module: name.to_owned(),
        reason,
    };
    let configured = RuntimeOptions::placement_for(name, config).map_err(invalid)?;
    let listed = oop.is_some_and(|oop| oop.modules.iter().any(|m| m == name));
    match (configured, oop) {
        (Placement::Oop, None) => Err(invalid(format!(
            "`modules.{name}.runtime.type` is `oop` but the host has no out-of-process backend (`OopSpawnOptions`)"
        ))),
        (Placement::Oop, Some(_)) if !listed => Err(invalid(format!(
            "`modules.{name}.runtime.type` is `oop` but the host's `OopSpawnOptions` does not list it"
        ))),
        (Placement::Oop, Some(_)) => Ok(true),
        (Placement::Local, _) => Ok(listed),
    }
}

impl Run {
    /// In place of module `m`'s `init`: its remote clients.
    pub(super) fn install_remote_clients(&self, m: ModuleId) -> anyhow::Result<()> {
        let ctx = self.ctx(m);
        let mut installed = 0;
        for client in RemoteClient::of(self.name(m)) {
            (client.install)(ctx)?;
            installed += 1;
        }
        tracing::debug!(
            module = self.name(m),
            installed,
            "out-of-process module: remote clients installed instead of init"
        );
        Ok(())
    }

    /// In place of module `m`'s `start`: spawns its child once the gRPC hub listens.
    pub(super) async fn spawn_child(&self, m: ModuleId) -> anyhow::Result<()> {
        let Some(oop) = &self.oop else {
            anyhow::bail!("the host has no out-of-process backend (`OopSpawnOptions`)");
        };
        let endpoint = loop {
            if let Some(endpoint) = self.hub_endpoint()? {
                break endpoint;
            }
            tokio::time::sleep(HUB_POLL).await;
        };
        let name = self.name(m);
        let request = crate::oop::OopSpawnRequest {
            module: name.to_owned(),
            directory_endpoint: endpoint,
            status: self.oop_status(name),
        };
        oop.backend.spawn(request).await
    }

    /// Whether module `name`'s child was spawned in the start phase.
    pub(super) fn spawned_in_start(&self, name: &str) -> bool {
        self.registry
            .modules()
            .iter()
            .position(|entry| entry.name() == name)
            .is_some_and(|m| self.progress.spawned[m])
    }

    /// The gRPC hub's directory endpoint, once it has bound one.
    pub(super) fn hub_endpoint(&self) -> anyhow::Result<Option<String>> {
        let registry = self.registry();
        let hub = registry
            .grpc_hub
            .as_deref()
            .and_then(|hub| registry.get_module(hub))
            .and_then(|hub| hub.caps().query::<GrpcHubCap>())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "out-of-process modules need a gRPC hub for their directory; link one (`grpc_hub` capability)"
                )
            })?;
        Ok(hub.bound_endpoint())
    }
}
