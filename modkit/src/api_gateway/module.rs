use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use axum::Router;
use axum::http::Method;
use tokio_util::sync::CancellationToken;

use super::auth::TokenVerifier;
use super::connection::{ALPN, Serving};
use super::layers::Layers;
use super::server::Server;
use super::{ApiGatewayConfig, ApiGatewayError, ApiGatewayHandle, docs, health, metrics};
use crate::context::ModuleCtx;
use crate::contracts::{
    ApiGatewayCapability, Module, OpenApiRegistry, RunnableCapability, SystemCapability,
};
use crate::rest::OpenApiDocument;
use crate::tls::ServerTls;

/// Where the gateway's TLS section is, for errors naming a file's key.
const TLS_SECTION: &str = "modules.api-gateway.config.tls";
use crate::runtime::{RuntimeReportHandle, SystemContext};

/// The `api-gateway` module. See the [module documentation](super).
///
/// # Lifecycle
/// * **pre_init** keeps the runtime report, for `/healthz` and `/readyz`;
/// * **init** reads and checks the config (CORS and rate-limit policies included) and
///   publishes an [`ApiGatewayHandle`] in the ClientHub;
/// * **rest**: `rest_prepare` adds the health routes, REST modules add theirs, and
///   `rest_finalize` refuses conflicting operations (naming both modules), adds
///   `/openapi.json` and `/docs` and wraps every route in the configured layers;
/// * **init** also reads the `tls` certificate and key, if configured (a file that cannot
///   be used fails start-up naming its key and path);
/// * **start** binds `bind_addr` (a port in use fails start-up naming the address) and
///   serves HTTP/1.1 and HTTP/2 (by ALPN over TLS, by prior knowledge over cleartext),
///   reloading the TLS certificate when its files change;
/// * **stop** stops accepting connections and drains in-flight requests until the stop
///   deadline.
#[derive(Default)]
#[modkit::module(
    name = "api-gateway",
    capabilities = [rest_host, stateful, system],
    config = ApiGatewayConfig
)]
pub struct ApiGateway {
    document: OpenApiDocument,
    report: OnceLock<RuntimeReportHandle>,
    setup: OnceLock<Setup>,
    handle: Arc<ApiGatewayHandle>,
    router: Mutex<Option<Router>>,
    server: tokio::sync::Mutex<Option<Server>>,
    key_refresh: Mutex<Option<tokio::task::JoinHandle<()>>>,
    tls_reload: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// Ends the listener of `telemetry.metrics.bind_addr`, if there is one.
    metrics_stop: CancellationToken,
}

/// What `init` learned.
struct Setup {
    ctx: ModuleCtx,
    config: ApiGatewayConfig,
    layers: Layers,
    verifier: Option<Arc<TokenVerifier>>,
    tls: Option<Arc<ServerTls>>,
    metrics: Option<Arc<metrics::Metrics>>,
}

impl ApiGateway {
    /// The registry REST modules describe their operations in.
    pub fn document(&self) -> &OpenApiDocument {
        &self.document
    }

    /// The bound address and other runtime facts (also in the ClientHub).
    pub fn handle(&self) -> &Arc<ApiGatewayHandle> {
        &self.handle
    }

    fn setup(&self) -> Result<&Setup, ApiGatewayError> {
        self.setup.get().ok_or(ApiGatewayError::NoRouter)
    }

    fn report(&self) -> RuntimeReportHandle {
        // Without pre_init (a host that skips it), readiness stays "starting".
        self.report.get().cloned().unwrap_or_default()
    }
}

#[async_trait::async_trait]
impl Module for ApiGateway {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        let config: ApiGatewayConfig = ctx.config().map_err(ApiGatewayError::from)?;
        let verifier = match &config.auth {
            Some(auth) => Some(Arc::new(load_verifier(&auth.jwt).await?)),
            None => {
                tracing::warn!(
                    "`modules.api-gateway.config.auth` is not set: every route is public"
                );
                None
            }
        };
        let tls = match &config.tls {
            Some(tls) => Some(Arc::new(ServerTls::load(TLS_SECTION, tls, &ALPN)?)),
            None => None,
        };
        let metrics = metrics::of_host(&ctx.client_hub(), &self.report());
        let layers = Layers::from_config(&config, verifier.clone(), metrics.as_deref())?;
        self.document
            .set_info(config.title.clone(), config.version.clone());
        if verifier.is_some() {
            self.document.require_bearer_auth();
        }
        ctx.client_hub()
            .register::<ApiGatewayHandle>(Arc::clone(&self.handle));
        let _ = self.setup.set(Setup {
            ctx: ctx.clone(),
            config,
            layers,
            verifier,
            tls,
            metrics,
        });
        Ok(())
    }
}

#[async_trait::async_trait]
impl SystemCapability for ApiGateway {
    fn pre_init(&self, sys: &SystemContext) -> anyhow::Result<()> {
        let _ = self.report.set(sys.report().clone());
        Ok(())
    }
}

impl ApiGatewayCapability for ApiGateway {
    fn rest_prepare(&self, ctx: &ModuleCtx, router: Router) -> anyhow::Result<Router> {
        for path in ["/healthz", "/readyz", docs::OPENAPI_PATH, docs::DOCS_PATH] {
            self.document.claim_route(&Method::GET, path);
        }
        let host_metrics = self.setup.get().and_then(|setup| setup.metrics.as_ref());
        #[cfg(feature = "grpc-hub")]
        let directory = ctx
            .client_hub()
            .try_get::<dyn crate::directory::DirectoryView>();
        #[cfg(not(feature = "grpc-hub"))]
        let directory = {
            let _ = ctx;
            None
        };
        let router = router.merge(health::routes(self.report(), directory));
        Ok(metrics::with_routes(router, host_metrics, &self.document))
    }

    fn rest_finalize(&self, _ctx: &ModuleCtx, router: Router) -> anyhow::Result<Router> {
        let conflicts = self.document.conflicts();
        if !conflicts.is_empty() {
            return Err(ApiGatewayError::Conflicts(conflicts).into());
        }
        let setup = self.setup()?;
        let document = self.document.render();
        self.handle.set_openapi(document.clone());
        let router = setup.layers.clone().apply(
            router.merge(docs::routes(document)),
            self.document.access_table(),
        );
        *self.router.lock().unwrap_or_else(|p| p.into_inner()) = Some(router.clone());
        Ok(router)
    }

    fn as_registry(&self) -> &dyn OpenApiRegistry {
        &self.document
    }
}

#[async_trait::async_trait]
impl RunnableCapability for ApiGateway {
    async fn start(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        let setup = self.setup()?;
        let router = self
            .router
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or(ApiGatewayError::NoRouter)?;
        let serving = Serving {
            router,
            policy: setup.layers.policy(),
            tls: setup.tls.as_ref().map(|tls| tls.acceptor()),
        };
        let (server, addr) = Server::start(&setup.ctx, setup.config.bind_addr, serving).await?;
        self.handle.set_local_addr(addr);
        if let Some(tls) = setup.tls.clone() {
            let task = setup.ctx.spawn("tls-reload", tls.watch());
            *self.tls_reload.lock().unwrap_or_else(|p| p.into_inner()) = Some(task);
        }
        metrics::serve_separately(setup.metrics.as_ref(), &self.metrics_stop).await?;
        if let Some(verifier) = setup.verifier.clone() {
            let task = setup.ctx.spawn("jwks-refresh", async move {
                verifier.refresh_periodically().await;
            });
            *self.key_refresh.lock().unwrap_or_else(|p| p.into_inner()) = Some(task);
        }
        let scheme = if setup.tls.is_some() { "https" } else { "http" };
        tracing::info!(address = %addr, "api-gateway listening on {scheme}://{addr}");
        *self.server.lock().await = Some(server);
        Ok(())
    }

    async fn stop(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        for task in [&self.key_refresh, &self.tls_reload] {
            if let Some(task) = task.lock().unwrap_or_else(|p| p.into_inner()).take() {
                task.abort();
            }
        }
        self.metrics_stop.cancel();
        if let Some(server) = self.server.lock().await.take() {
            server.drain(cancel).await?;
            tracing::info!("api-gateway stopped");
        }
        Ok(())
    }
}

/// The token verifier of `jwt`, with its keys loaded: a `jwks_file` that cannot be read
/// fails start-up; keys from a URL that cannot be fetched now are fetched again when a
/// token needs them (and on the schedule), and tokens are refused until then.
async fn load_verifier(jwt: &super::auth::JwtConfig) -> Result<TokenVerifier, ApiGatewayError> {
    let verifier = TokenVerifier::new(jwt)?;
    match verifier.load_keys().await {
        Ok(count) => tracing::info!(keys = count, "token signing keys loaded"),
        Err(error) if jwt.jwks_file.is_some() => return Err(error.into()),
        Err(error) => tracing::error!(
            %error,
            "cannot load the token signing keys; every token is refused until they load"
        ),
    }
    Ok(verifier)
}

impl fmt::Debug for ApiGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiGateway")
            .field("local_addr", &self.handle.local_addr())
            .field("document", &self.document)
            .finish_non_exhaustive()
    }
}
