use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::base::Extensions;
use crate::base::ModuleHandle;
use crate::client_hub::ClientHub;
use crate::config::{ConfigError, ConfigProvider};

/// A module's view of the host, handed to its hooks.
///
/// Cheap to clone; every clone is the same module's context.
///
/// ```
/// use modkit::{Module, ModuleCtx};
///
/// #[derive(serde::Deserialize)]
/// struct UsersConfig {
///     #[serde(default = "default_page_size")]
///     page_size: u32,
/// }
/// fn default_page_size() -> u32 { 20 }
///
/// struct Users;
///
/// #[modkit::async_trait]
/// impl Module for Users {
///     async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
///         let config: UsersConfig = ctx.config()?;
///         let token = ctx.cancellation_token().clone();
///         ctx.spawn("cache-refresher", async move { token.cancelled().await });
///         tracing::info!(page_size = config.page_size, "users ready");
///         Ok(())
///     }
/// }
/// ```
#[derive(Clone)]
pub struct ModuleCtx {
    host: Arc<HostShared>,
    handle: ModuleHandle,
}

/// What every module of one host shares, and the per-module parts that live with the
/// context rather than the runtime, by position (so that a host's contexts cost one
/// allocation, not one per module).
pub(crate) struct HostShared {
    instance_id: Uuid,
    config: Arc<dyn ConfigProvider>,
    client_hub: Arc<ClientHub>,
    /// The number of modules: per-module values features keep in `extensions` are tables
    /// of this length, by module position.
    modules: usize,
    /// What features keep for the host's modules: the db phase's pools
    /// (`db/module_ctx.rs`).
    extensions: Extensions,
}

impl HostShared {
    /// The shared part of the contexts of `modules` modules.
    pub(crate) fn new(
        instance_id: Uuid,
        config: Arc<dyn ConfigProvider>,
        client_hub: Arc<ClientHub>,
        modules: usize,
    ) -> Arc<Self> {
        Arc::new(Self {
            instance_id,
            config,
            client_hub,
            modules,
            extensions: Extensions::default(),
        })
    }
}

impl ModuleCtx {
    /// The context of the module `handle`, whose position in its table is its position in
    /// `host`'s per-module parts.
    pub(crate) fn new(host: Arc<HostShared>, handle: ModuleHandle) -> Self {
        Self { host, handle }
    }

    /// The module's name.
    pub fn module_name(&self) -> &'static str {
        self.handle.name()
    }

    /// Every module's configuration, for runtime code that reads more of this module's
    /// section than `config` (its `runtime` settings).
    #[cfg_attr(
        not(feature = "grpc-hub"),
        expect(dead_code, reason = "read by the directory's remote service only")
    )]
    pub(crate) fn config_provider(&self) -> &dyn ConfigProvider {
        self.host.config.as_ref()
    }

    /// The id of this run of the host.
    pub fn instance_id(&self) -> Uuid {
        self.host.instance_id
    }

    /// The module's `config` section (`modules.<name>.config`), read into `T`.
    ///
    /// A module with no section reads an empty object, so a `T` whose fields all have
    /// serde defaults needs no configuration. A mismatch names the module and the field.
    pub fn config<T: DeserializeOwned>(&self) -> Result<T, ConfigError> {
        crate::config::read_module_config(self.module_name(), self.host.config.as_ref())
    }

    /// The host's in-process clients.
    pub fn client_hub(&self) -> Arc<ClientHub> {
        Arc::clone(&self.host.client_hub)
    }

    /// Fires when this module stops (or the host shuts down).
    pub fn cancellation_token(&self) -> &CancellationToken {
        self.handle.cancellation_token()
    }

    /// Runs `future` as a task owned by this module.
    ///
    /// When the module stops, its tasks get until the module's stop deadline to finish
    /// (watch [`cancellation_token`](Self::cancellation_token)); any still running then is
    /// named in the log and the runtime report, and aborted.
    pub fn spawn<F>(&self, name: impl Into<Cow<'static, str>>, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(name, future)
    }

    /// The number of modules of the host, and what features keep for them, by module
    /// position ([`ModuleHandle::index`]).
    pub(crate) fn host_extensions(&self) -> (usize, &Extensions) {
        (self.host.modules, &self.host.extensions)
    }

    pub(crate) fn handle(&self) -> &ModuleHandle {
        &self.handle
    }
}

impl fmt::Debug for ModuleCtx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModuleCtx")
            .field("module", &self.module_name())
            .field("instance_id", &self.host.instance_id)
            .field("host_extensions", &self.host_extensions())
            .finish_non_exhaustive()
    }
}
