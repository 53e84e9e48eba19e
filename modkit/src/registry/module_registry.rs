use std::collections::HashMap;
#[cfg(feature = "grpc")]
use std::sync::Arc;

use super::{ModuleEntry, RegistryBuilder, RegistryError, Registrator};
#[cfg(feature = "grpc")]
use crate::contracts::GrpcServiceCapability;
use crate::registry::GrpcHubCap;
#[cfg(feature = "grpc")]
use crate::registry::GrpcServiceCap;

/// Every module of a host, checked and in dependency order.
pub struct ModuleRegistry {
    modules: Vec<ModuleEntry>,
    by_system_priority: Vec<u32>,
    index: HashMap<&'static str, usize>,
    /// The module with the `grpc_hub` capability, if any.
    pub grpc_hub: Option<String>,
    /// Every module with the `grpc` capability, in dependency order.
    #[cfg(feature = "grpc")]
    pub grpc_services: Vec<(String, Arc<dyn GrpcServiceCapability>)>,
}

impl std::fmt::Debug for ModuleRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleRegistry")
            .field("modules", &self.modules)
            .field("grpc_hub", &self.grpc_hub)
            .finish_non_exhaustive()
    }
}

impl ModuleRegistry {
    pub(crate) fn new(modules: Vec<ModuleEntry>, by_system_priority: Vec<u32>) -> Self {
        let index = modules.iter().enumerate().map(|(i, m)| (m.name, i)).collect();
        let grpc_hub = modules
            .iter()
            .find(|m| m.caps.has::<GrpcHubCap>())
            .map(|m| m.name.to_owned());
        #[cfg(feature = "grpc")]
        let grpc_services = modules
            .iter()
            .filter_map(|m| Some((m.name.to_owned(), m.caps.query::<GrpcServiceCap>()?)))
            .collect();
        Self {
            modules,
            by_system_priority,
            index,
            grpc_hub,
            #[cfg(feature = "grpc")]
            grpc_services,
        }
    }

    /// Builds the registry from every module linked into this binary.
    ///
    /// A module's crate must be linked: if nothing in the host refers to it, add
    /// `use my_module_crate as _;` to the host.
    pub fn discover_and_build() -> Result<Self, RegistryError> {
        let mut builder = RegistryBuilder::default();
        for registrator in inventory::iter::<Registrator> {
            (registrator.0)(&mut builder);
        }
        builder.build_topo_sorted()
    }

    /// Every module, each after all its dependencies; ties broken by name.
    pub fn modules(&self) -> &[ModuleEntry] {
        &self.modules
    }

    /// Every module, system modules (and what they need) as early as their dependencies
    /// allow, the rest in [`modules`](Self::modules) order. No module comes before one of
    /// its dependencies.
    pub fn modules_by_system_priority(&self) -> Vec<&ModuleEntry> {
        self.by_system_priority
            .iter()
            .map(|&position| &self.modules[position as usize])
            .collect()
    }

    /// Positions into [`modules`](Self::modules), in system-priority order.
    pub(crate) fn system_priority_positions(&self) -> &[u32] {
        &self.by_system_priority
    }

    /// The module named `name`.
    pub fn get_module(&self, name: &str) -> Option<&ModuleEntry> {
        self.index.get(name).map(|&i| &self.modules[i])
    }

    /// The number of modules.
    pub fn len(&self) -> usize {
        self.modules.len()
    }

    /// Whether there are no modules.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }
}
