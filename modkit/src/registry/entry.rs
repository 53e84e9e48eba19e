use std::fmt;
use std::sync::Arc;

use super::CapabilitySet;
use crate::config::TypedConfig;
use crate::contracts::Module;

/// One registered module: its name, dependencies, core and capabilities.
#[derive(Clone)]
pub struct ModuleEntry {
    pub(crate) name: &'static str,
    pub(crate) deps: &'static [&'static str],
    pub(crate) core: Arc<dyn Module>,
    pub(crate) caps: CapabilitySet,
    pub(crate) config: Option<TypedConfig>,
    /// Positions of the dependencies in [`ModuleRegistry::modules`](super::ModuleRegistry::modules).
    pub(crate) dep_positions: Box<[u32]>,
}

impl ModuleEntry {
    /// The module's kebab-case name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The names the module depends on, as declared.
    pub fn deps(&self) -> &'static [&'static str] {
        self.deps
    }

    /// The module itself.
    pub fn core(&self) -> &Arc<dyn Module> {
        &self.core
    }

    /// The module's capabilities.
    pub fn caps(&self) -> &CapabilitySet {
        &self.caps
    }

    /// The type of the module's `config` section, when its `#[modkit::module]` declares one
    /// (`config = T`).
    pub fn typed_config(&self) -> Option<&TypedConfig> {
        self.config.as_ref()
    }
}

impl fmt::Debug for ModuleEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModuleEntry")
            .field("name", &self.name)
            .field("deps", &self.deps)
            .field("caps", &self.caps)
            .finish_non_exhaustive()
    }
}
