use super::name_index::NameIndex;
use super::{ModuleEntry, RegistryBuilder, RegistryError};
use crate::registry::GrpcHubCap;

/// Every module of a host, checked and in dependency order.
pub struct ModuleRegistry {
    modules: Vec<ModuleEntry>,
    by_system_priority: Vec<u32>,
    /// Name to position in `modules`.
    index: NameIndex,
    /// The module with the `grpc_hub` capability, if any.
    pub grpc_hub: Option<String>,
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
    /// `index` maps each name to its position in `modules`; `with_caps` lists, ascending,
    /// the positions of the modules that have any capability (the others need no look).
    pub(crate) fn new(
        modules: Vec<ModuleEntry>,
        by_system_priority: Vec<u32>,
        index: NameIndex,
        with_caps: &[u32],
    ) -> Self {
        let capable = || {
            with_caps
                .iter()
                .map(|&position| &modules[position as usize])
        };
        let grpc_hub = capable()
            .find(|m| m.caps.has::<GrpcHubCap>())
            .map(|m| m.name.to_owned());
        Self {
            modules,
            by_system_priority,
            index,
            grpc_hub,
        }
    }

    /// Builds the registry from every module linked into this binary.
    ///
    /// A module's crate must be linked: if nothing in the host refers to it, add
    /// `use my_module_crate as _;` to the host.
    pub fn discover_and_build() -> Result<Self, RegistryError> {
        RegistryBuilder::discovered().build_topo_sorted()
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

    /// Moves every module's dependency positions out (leaving them empty): the runtime
    /// owns the registry and needs them as one list, without copying 10,000 slices.
    pub(crate) fn take_dep_positions(&mut self) -> Vec<Box<[u32]>> {
        self.modules
            .iter_mut()
            .map(|module| std::mem::take(&mut module.dep_positions))
            .collect()
    }

    /// Positions into [`modules`](Self::modules), in system-priority order.
    pub(crate) fn system_priority_positions(&self) -> &[u32] {
        &self.by_system_priority
    }

    /// The module named `name`.
    pub fn get_module(&self, name: &str) -> Option<&ModuleEntry> {
        self.index
            .get(name)
            .map(|&position| &self.modules[position as usize])
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
