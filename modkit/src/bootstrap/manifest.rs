//! What `check` and `graph` print: the host's modules, as data.

use serde::Serialize;
use serde_json::Value;

use crate::config::ConfigProvider;
use crate::registry::ModuleRegistry;
use crate::runtime::HostApi;

/// Every module of a host in start order: a stable, diffable description.
#[derive(Debug, Clone, Serialize)]
pub struct HostManifest {
    /// The modules, each after all its dependencies.
    pub modules: Vec<ModuleManifest>,
}

/// One module of a [`HostManifest`].
#[derive(Debug, Clone, Serialize)]
pub struct ModuleManifest {
    /// The module's name.
    pub name: &'static str,
    /// The modules it depends on, sorted.
    pub deps: Vec<&'static str>,
    /// Its capabilities, by macro keyword.
    pub capabilities: Vec<&'static str>,
    /// `local` or `oop` (`modules.<name>.runtime.type`).
    pub placement: String,
    /// Its schema history, in version order (modules with the `db` capability).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub migrations: Vec<MigrationManifest>,
    /// Its REST routes, by path then method, once [`HostManifest::with_api`] added them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rest_routes: Vec<RouteManifest>,
    /// The gRPC services it offers, sorted, once [`HostManifest::with_api`] added them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub grpc_services: Vec<String>,
    /// Declared dependencies that provide clients of which its `init` took none, once
    /// [`HostManifest::with_api`] added them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unused_deps: Vec<String>,
}

/// One REST route of a [`ModuleManifest`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RouteManifest {
    /// Its path, as the module wrote it.
    pub path: String,
    /// Its HTTP method.
    pub method: String,
    /// Its OpenAPI operation id, when the route is documented.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
}

/// One migration of a [`ModuleManifest`].
#[derive(Debug, Clone, Serialize)]
pub struct MigrationManifest {
    /// Its version.
    pub version: i64,
    /// Its name.
    pub name: String,
}

impl HostManifest {
    /// Describes `registry` in system-priority order, with placements read from `config`.
    pub fn of(registry: &ModuleRegistry, config: &dyn ConfigProvider) -> Self {
        let modules = registry
            .modules_by_system_priority()
            .into_iter()
            .map(|entry| {
                let mut deps = entry.deps().to_vec();
                deps.sort_unstable();
                ModuleManifest {
                    name: entry.name(),
                    deps,
                    capabilities: entry.caps().names(),
                    placement: placement(config, entry.name()),
                    migrations: migrations(entry),
                    rest_routes: Vec::new(),
                    grpc_services: Vec::new(),
                    unused_deps: Vec::new(),
                }
            })
            .collect();
        Self { modules }
    }

    /// Adds each module's REST routes and gRPC services from `api` (see
    /// [`HostRuntime::describe`](crate::HostRuntime::describe)).
    pub fn with_api(mut self, api: &HostApi) -> Self {
        for module in &mut self.modules {
            module.rest_routes = api
                .routes_of(module.name)
                .map(|route| RouteManifest {
                    path: route.path.clone(),
                    method: route.method.clone(),
                    operation_id: route.operation_id.clone(),
                })
                .collect();
            module.rest_routes.sort();
            module.grpc_services = api
                .services_of(module.name)
                .map(|service| service.service.clone())
                .collect();
            module.grpc_services.sort();
            module.unused_deps = api
                .unused_deps
                .get(module.name)
                .cloned()
                .unwrap_or_default();
        }
        self
    }

    /// The manifest as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
    }

    /// A Graphviz digraph: one node per module labelled with its capabilities, one edge
    /// from each module to each of its dependencies.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph modules {\n  rankdir=LR;\n  node [shape=box];\n");
        for module in &self.modules {
            out.push_str(&format!(
                "  \"{}\" [label=\"{}\\n{}\"];\n",
                module.name,
                module.name,
                module.label()
            ));
        }
        for module in &self.modules {
            for dep in &module.deps {
                out.push_str(&format!("  \"{}\" -> \"{dep}\";\n", module.name));
            }
        }
        out.push_str("}\n");
        out
    }

    /// A Mermaid flowchart with the same nodes and edges as [`to_dot`](Self::to_dot).
    pub fn to_mermaid(&self) -> String {
        let id = |name: &str| name.replace('-', "_");
        let mut out = String::from("flowchart LR\n");
        for module in &self.modules {
            out.push_str(&format!(
                "  {}[\"{}<br/>{}\"]\n",
                id(module.name),
                module.name,
                module.label()
            ));
        }
        for module in &self.modules {
            for dep in &module.deps {
                out.push_str(&format!("  {} --> {}\n", id(module.name), id(dep)));
            }
        }
        out
    }

    /// One line per module, numbered in start order, for `check`.
    pub fn to_table(&self) -> String {
        let width = self.modules.iter().map(|m| m.name.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (index, module) in self.modules.iter().enumerate() {
            out.push_str(&format!(
                "{:>3}. {:<width$}  [{}]{}\n",
                index + 1,
                module.name,
                module.capabilities.join(", "),
                if module.placement == "local" {
                    String::new()
                } else {
                    format!("  ({})", module.placement)
                }
            ));
        }
        out
    }
}

impl ModuleManifest {
    fn label(&self) -> String {
        let mut label = self.capabilities.join(", ");
        if self.placement != "local" {
            label.push_str(&format!(" ({})", self.placement));
        }
        label
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
