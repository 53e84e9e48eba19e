//! Building a manifest from a host's registry, config and described API.

use serde_json::Value;

use super::{HostManifest, MigrationManifest, ModuleManifest, RouteManifest};
use crate::config::ConfigProvider;
use crate::registry::ModuleRegistry;
use crate::runtime::HostApi;

impl HostManifest {
    /// Describes `registry` in system-priority order, with placements read from `config`.
    pub fn of(registry: &ModuleRegistry, config: &dyn ConfigProvider) -> Self {
        let modules = registry
            .modules_by_system_priority()
            .into_iter()
            .map(|entry| {
                let mut deps: Vec<String> = entry.deps().iter().map(|&d| d.to_owned()).collect();
                deps.sort_unstable();
                ModuleManifest {
                    name: entry.name().to_owned(),
                    deps,
                    capabilities: entry
                        .caps()
                        .names()
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    placement: placement(config, entry.name()),
                    migrations: migrations(entry),
                    ..ModuleManifest::default()
                }
            })
            .collect();
        Self {
            modules,
            ..Self::default()
        }
    }

    /// Adds each module's REST routes and gRPC services from `api` (see
    /// [`HostRuntime::describe`](crate::HostRuntime::describe)).
    pub fn with_api(mut self, api: &HostApi) -> Self {
        for module in &mut self.modules {
            module.rest_routes = api
                .routes_of(&module.name)
                .map(|route| RouteManifest {
                    path: route.path.clone(),
                    method: route.method.clone(),
                    operation_id: route.operation_id.clone(),
                })
                .collect();
            module.rest_routes.sort();
            module.grpc_services = api
                .services_of(&module.name)
                .map(|service| service.service.clone())
                .collect();
            module.grpc_services.sort();
            module.unused_deps = api
                .unused_deps
                .get(&module.name)
                .cloned()
                .unwrap_or_default();
        }
        self
    }
}

fn placement(config: &dyn ConfigProvider, module: &str) -> String {
    config
        .get_module_config(module)
        .and_then(|section| section.pointer("/runtime/type"))
        .and_then(Value::as_str)
        .unwrap_or("local")
        .to_owned()
}

#[cfg(feature = "db")]
fn migrations(entry: &crate::registry::ModuleEntry) -> Vec<MigrationManifest> {
    let Some(database) = entry.caps().query::<crate::registry::DatabaseCap>() else {
        return Vec::new();
    };
    let mut migrations: Vec<MigrationManifest> = database
        .migrations()
        .into_iter()
        .map(|migration| MigrationManifest {
            version: migration.version,
            checksum: Some(migration.checksum()),
            name: migration.name.into_owned(),
        })
        .collect();
    migrations.sort_by_key(|migration| migration.version);
    migrations
}

#[cfg(not(feature = "db"))]
fn migrations(_entry: &crate::registry::ModuleEntry) -> Vec<MigrationManifest> {
    Vec::new()
}
