use std::fmt;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::run::{Placements, Run};
use super::{HostApi, OopSpawnOptions, PhaseDrivers, RunMode, RuntimeOptions, RuntimeReportHandle};
use crate::client_hub::ClientHub;
use crate::config::ConfigProvider;
use crate::registry::{ModuleRegistry, RegistryError};

/// Runs a host's modules through their lifecycle.
///
/// ```
/// use std::sync::Arc;
/// use modkit::config::ModulesConfig;
/// use modkit::registry::RegistryBuilder;
/// use modkit::{CancellationToken, ClientHub, DbOptions, HostRuntime, Module, ModuleCtx};
///
/// struct Hello;
///
/// #[modkit::async_trait]
/// impl Module for Hello {
///     async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
///         tracing::info!("hello from {}", ctx.module_name());
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> anyhow::Result<()> {
/// let mut builder = RegistryBuilder::default();
/// builder.register_core_with_meta("hello", &[], Arc::new(Hello));
/// let cancel = CancellationToken::new();
/// let runtime = HostRuntime::new(
///     builder.build_topo_sorted()?,
///     Arc::new(ModulesConfig::empty()),
///     DbOptions::None,
///     Arc::new(ClientHub::new()),
///     cancel.clone(),
///     uuid::Uuid::new_v4(),
///     None,
/// );
/// let report = runtime.report();
/// let host = tokio::spawn(runtime.run_module_phases());
/// assert!(report.wait_ready().await);
/// cancel.cancel(); // what SIGTERM does in a real host
/// host.await??;
/// # Ok(())
/// # }
/// ```
pub struct HostRuntime {
    pub(crate) registry: ModuleRegistry,
    pub(crate) config: Arc<dyn ConfigProvider>,
    /// The phase table: every phase's drivers, in order (`crate::phase_table`).
    pub(crate) drivers: PhaseDrivers,
    pub(crate) client_hub: Arc<ClientHub>,
    pub(crate) cancel: CancellationToken,
    pub(crate) instance_id: Uuid,
    pub(crate) oop: Option<OopSpawnOptions>,
    pub(crate) options: RuntimeOptions,
    pub(crate) report: RuntimeReportHandle,
}

impl HostRuntime {
    /// Replaces the host-wide settings (deadlines, concurrency).
    pub fn with_options(mut self, options: RuntimeOptions) -> Self {
        self.options = options;
        self
    }

    /// A live view of the runtime report; take it before running.
    pub fn report(&self) -> RuntimeReportHandle {
        self.report.clone()
    }

    /// Runs every start-up phase, waits for the cancellation token, then stops every
    /// module ([`RunMode::Full`]).
    pub async fn run_module_phases(self) -> Result<(), RegistryError> {
        self.run(RunMode::Full).await
    }

    /// Runs `pre_init` and `db`, then returns ([`RunMode::MigrateOnly`]).
    pub async fn run_migration_phases(self) -> Result<(), RegistryError> {
        self.run(RunMode::MigrateOnly).await
    }

    /// Runs the phases of `mode`.
    pub async fn run(self, mode: RunMode) -> Result<(), RegistryError> {
        let report = self.report.clone();
        match Run::prepare(self, Placements::AsConfigured) {
            Ok(run) => run.execute(mode).await,
            Err(error) => {
                // Whoever waits for the host to become ready learns that it never will.
                report.set_host_state(crate::report::HostState::Failed);
                Err(error)
            }
        }
    }

    /// Lists the REST routes and gRPC services the host's modules register, without
    /// serving them.
    ///
    /// Runs the phases of [`Phase::DESCRIPTION`](super::Phase::DESCRIPTION): `pre_init`,
    /// `init` and `post_init`, then each REST module's `register_rest` and each gRPC
    /// module's `get_grpc_services`; no migration, no `start`, no child process. Every
    /// module runs in this process, out-of-process ones included, so that their services
    /// are listed too. Before it returns, every module's token fires and the tasks its
    /// `init` spawned get its stop deadline to end. `bootstrap`'s `graph --format json`
    /// prints what this finds.
    ///
    /// Routes are listed when the REST host is the built-in `api-gateway` (or any host
    /// whose registry is a `modkit::rest::OpenApiDocument`).
    ///
    /// With the `api-gateway` feature:
    ///
    #[cfg_attr(feature = "api-gateway", doc = "```")]
    #[cfg_attr(not(feature = "api-gateway"), doc = "```ignore")]
    /// use std::sync::Arc;
    ///
    /// use axum::http::StatusCode;
    /// use axum::Router;
    /// use modkit::api_gateway::ApiGateway;
    /// use modkit::config::ModulesConfig;
    /// use modkit::registry::RegistryBuilder;
    /// use modkit::rest::OperationBuilder;
    /// use modkit::{
    ///     CancellationToken, ClientHub, DbOptions, HostRuntime, Module, ModuleCtx,
    ///     OpenApiRegistry, RestApiCapability,
    /// };
    ///
    /// struct Ping;
    ///
    /// #[modkit::async_trait]
    /// impl Module for Ping {
    ///     async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
    ///         Ok(())
    ///     }
    /// }
    ///
    /// impl RestApiCapability for Ping {
    ///     fn register_rest(
    ///         &self,
    ///         _ctx: &ModuleCtx,
    ///         router: Router,
    ///         openapi: &dyn OpenApiRegistry,
    ///     ) -> anyhow::Result<Router> {
    ///         Ok(OperationBuilder::get("/ping")
    ///             .operation_id("ping")
    ///             .handler(|| async { "pong" })
    ///             .empty_response(StatusCode::OK, "pong")
    ///             .register(router, openapi))
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> anyhow::Result<()> {
    /// let mut builder = RegistryBuilder::default();
    /// let gateway = Arc::new(ApiGateway::default());
    /// builder.register_core_with_meta("api-gateway", &[], gateway.clone());
    /// builder.register_rest_host_with_meta("api-gateway", gateway.clone());
    /// builder.register_stateful_with_meta("api-gateway", gateway.clone());
    /// builder.register_system_with_meta("api-gateway", gateway);
    /// let ping = Arc::new(Ping);
    /// builder.register_core_with_meta("ping", &[], ping.clone());
    /// builder.register_rest_with_meta("ping", ping);
    ///
    /// let api = HostRuntime::new(
    ///     builder.build_topo_sorted()?,
    ///     Arc::new(ModulesConfig::empty()),
    ///     DbOptions::None,
    ///     Arc::new(ClientHub::new()),
    ///     CancellationToken::new(),
    ///     uuid::Uuid::new_v4(),
    ///     None,
    /// )
    /// .describe()
    /// .await?;
    /// let ping = api.routes_of("ping").next().expect("ping has a route");
    /// assert_eq!((ping.method.as_str(), ping.path.as_str()), ("GET", "/ping"));
    /// assert_eq!(ping.operation_id.as_deref(), Some("ping"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn describe(self) -> Result<HostApi, RegistryError> {
        Run::prepare(self, Placements::AllInProcess)?
            .describe()
            .await
    }
}

impl fmt::Debug for HostRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostRuntime")
            .field("modules", &self.registry.len())
            .field("instance_id", &self.instance_id)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}
