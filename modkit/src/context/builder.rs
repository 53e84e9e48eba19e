use std::fmt;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::ModuleCtx;
use crate::client_hub::ClientHub;
use crate::config::ConfigProvider;
use crate::runtime::ModuleHandle;

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
        self.with_handle(ModuleHandle::new(name, self.root_cancel.child_token()))
    }

    pub(crate) fn with_handle(&self, handle: Arc<ModuleHandle>) -> ModuleCtx {
        ModuleCtx::new(
            handle,
            self.instance_id,
            Arc::clone(&self.config),
            Arc::clone(&self.client_hub),
        )
    }

    pub(crate) fn config(&self) -> &Arc<dyn ConfigProvider> {
        &self.config
    }
}

impl fmt::Debug for ModuleContextBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModuleContextBuilder")
            .field("instance_id", &self.instance_id)
            .finish_non_exhaustive()
    }
}
