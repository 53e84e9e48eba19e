use std::fmt;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::ModuleCtx;
use super::module_ctx::HostShared;
use crate::base::{ModuleHandle, ModuleTable};
use crate::client_hub::ClientHub;
use crate::config::ConfigProvider;

/// Makes [`ModuleCtx`]s that share one host's instance id, configuration and clients.
///
/// The runtime uses one internally; build one yourself to call a module's hooks in a test.
///
/// ```
/// use std::sync::Arc;
/// use modkit::config::ModulesConfig;
/// use modkit::{ClientHub, CancellationToken, ModuleContextBuilder};
///
/// let contexts = ModuleContextBuilder::new(
///     uuid::Uuid::new_v4(),
///     Arc::new(ModulesConfig::empty()),
///     Arc::new(ClientHub::new()),
///     CancellationToken::new(),
/// );
/// let ctx = contexts.for_module("users");
/// assert_eq!(ctx.module_name(), "users");
/// ```
#[derive(Clone)]
pub struct ModuleContextBuilder {
    instance_id: Uuid,
    config: Arc<dyn ConfigProvider>,
    client_hub: Arc<ClientHub>,
    root_cancel: CancellationToken,
}

impl ModuleContextBuilder {
    /// Contexts for one host.
    pub fn new(
        instance_id: Uuid,
        config: Arc<dyn ConfigProvider>,
        client_hub: Arc<ClientHub>,
        root_cancel: CancellationToken,
    ) -> Self {
        Self {
            instance_id,
            config,
            client_hub,
            root_cancel,
        }
    }

    /// A context for module `name`; its token is a child of the host's.
    pub fn for_module(&self, name: &'static str) -> ModuleCtx {
        ModuleCtx::new(
            self.shared(1),
            ModuleHandle::detached(name, Some(self.root_cancel.clone())),
        )
    }

    /// The contexts of a host's modules, `names` in position order, made together.
    ///
    /// A module's token is its own, not a child of the host's: the runtime fires it when the
    /// module stops, so that dependents wind down before what they depend on.
    pub(crate) fn for_modules(
        &self,
        names: impl ExactSizeIterator<Item = &'static str>,
    ) -> HostContexts {
        let shared = self.shared(names.len());
        HostContexts {
            shared,
            table: ModuleTable::new(names, None),
        }
    }

    fn shared(&self, modules: usize) -> Arc<HostShared> {
        HostShared::new(
            self.instance_id,
            Arc::clone(&self.config),
            Arc::clone(&self.client_hub),
            modules,
        )
    }

    pub(crate) fn config(&self) -> &Arc<dyn ConfigProvider> {
        &self.config
    }
}

/// The contexts of every module of a host (see [`ModuleContextBuilder::for_modules`]).
pub(crate) struct HostContexts {
    shared: Arc<HostShared>,
    table: Arc<ModuleTable>,
}

impl HostContexts {
    /// Every module's context, by position.
    pub(crate) fn iter(&self) -> impl Iterator<Item = ModuleCtx> + '_ {
        (0..self.table.len())
            .map_while(|position| self.table.handle(position))
            .map(|handle| ModuleCtx::new(Arc::clone(&self.shared), handle))
    }

    /// Every module's runtime state, by position.
    pub(crate) fn modules(&self) -> &Arc<ModuleTable> {
        &self.table
    }
}

impl fmt::Debug for ModuleContextBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModuleContextBuilder")
            .field("instance_id", &self.instance_id)
            .finish_non_exhaustive()
    }
}
