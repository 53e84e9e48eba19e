use std::fmt;
use std::sync::Arc;

use super::capabilities::{CapabilitySet, CapabilityTag};
use crate::config::TypedConfig;
use crate::contracts::Module;

/// Collects module registrations; [`build_topo_sorted`](Self::build_topo_sorted) checks and
/// orders them.
///
/// `#[modkit::module]` calls these methods for you; call them directly to assemble a
/// registry by hand (in tests, or for modules built at run time).
#[derive(Default)]
pub struct RegistryBuilder {
    pub(crate) cores: Vec<CoreRegistration>,
    pub(crate) capabilities: Vec<CapabilityRegistration>,
}

pub(crate) struct CoreRegistration {
    pub(crate) name: &'static str,
    pub(crate) deps: &'static [&'static str],
    pub(crate) module: Arc<dyn Module>,
    pub(crate) config: Option<TypedConfig>,
    /// The Rust type, for a `#[modkit::module]`: errors name it.
    pub(crate) type_name: Option<&'static str>,
}

pub(crate) struct CapabilityRegistration {
    pub(crate) module: &'static str,
    pub(crate) capability: &'static str,
    /// Puts the capability into its slot; returns `false` if the slot was already taken.
    pub(crate) install: Box<dyn FnOnce(&mut CapabilitySet) -> bool + Send>,
}

impl RegistryBuilder {
    /// Registers a module under `name`, after the modules named in `deps`.
    pub fn register_core_with_meta(
        &mut self,
        name: &'static str,
        deps: &'static [&'static str],
        module: Arc<dyn Module>,
    ) {
        self.cores.push(CoreRegistration {
            name,
            deps,
            module,
            config: None,
            type_name: None,
        });
    }

    /// Gives module `module` the capability tagged `T`: the generic form of the
    /// `register_*_with_meta` methods, and what `#[modkit::module]` calls.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use modkit::registry::{RegistryBuilder, SystemCap};
    /// # use modkit::{Module, ModuleCtx, SystemCapability};
    /// # struct Audit;
    /// # #[modkit::async_trait]
    /// # impl Module for Audit {
    /// #     async fn init(&self, _: &ModuleCtx) -> anyhow::Result<()> { Ok(()) }
    /// # }
    /// # #[modkit::async_trait]
    /// # impl SystemCapability for Audit {}
    ///
    /// let audit = Arc::new(Audit);
    /// let mut builder = RegistryBuilder::default();
    /// builder.register_core_with_meta("audit", &[], audit.clone());
    /// builder.register::<SystemCap>("audit", audit);
    /// let registry = builder.build_topo_sorted()?;
    /// assert_eq!(registry.modules()[0].caps().names(), ["system"]);
    /// # Ok::<(), modkit::RegistryError>(())
    /// ```
    pub fn register<T: CapabilityTag>(&mut self, module: &'static str, capability: Arc<T::Trait>)
    where
        T::Trait: 'static,
    {
        self.capabilities.push(CapabilityRegistration {
            module,
            capability: T::NAME,
            install: Box::new(move |set| set.insert::<T>(capability)),
        });
    }

    /// Runs every linked [`Registrator`](super::Registrator): the modules
    /// [`ModuleRegistry::discover_and_build`](super::ModuleRegistry::discover_and_build) would build.
    pub fn discovered() -> Self {
        let mut builder = Self::default();
        for registrator in inventory::iter::<super::Registrator> {
            (registrator.0)(&mut builder);
        }
        builder
    }

    /// The names of the modules registered so far, in registration order.
    pub fn module_names(&self) -> Vec<&'static str> {
        self.cores.iter().map(|core| core.name).collect()
    }

    /// Keeps only the modules for which `keep` returns `true`, with their capabilities.
    pub(crate) fn retain_modules(&mut self, keep: impl Fn(&str) -> bool) {
        self.cores.retain(|core| keep(core.name));
        self.capabilities
            .retain(|capability| keep(capability.module));
    }

    /// Keeps module `root` and every module it depends on, directly or not; drops the rest.
    pub fn retain_with_deps(&mut self, root: &str) {
        let mut keep: Vec<&'static str> = Vec::new();
        let mut pending: Vec<&str> = vec![root];
        // Each name enters `keep` once, so this ends after at most one pass per module.
        while let Some(name) = pending.pop() {
            let Some(core) = self.cores.iter().find(|core| core.name == name) else {
                continue;
            };
            if keep.contains(&core.name) {
                continue;
            }
            keep.push(core.name);
            pending.extend(core.deps.iter().copied());
        }
        self.retain_modules(|name| keep.contains(&name));
    }
}

impl fmt::Debug for RegistryBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistryBuilder")
            .field(
                "modules",
                &self.cores.iter().map(|c| c.name).collect::<Vec<_>>(),
            )
            .field("capabilities", &self.capabilities.len())
            .finish()
    }
}
