use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tonic::service::RoutesBuilder;

use super::health::HubHealth;
use super::listeners::Listeners;
use super::{GrpcHubConfig, GrpcHubError, ListenPolicy};
use crate::context::ModuleCtx;
use crate::contracts::{GrpcHubCapability, Module, RunnableCapability, SystemCapability};
use crate::directory::{
    DIRECTORY_SERVICE_NAME, DirectoryAccess, GrpcClientTls, HostDirectory, HostSecret,
    InstanceInfo, InstanceTable,
};
use crate::runtime::SystemContext;
use crate::tls::ServerTls;

/// Where the hub's TLS section is, for errors naming a file's key.
const TLS_SECTION: &str = "modules.grpc-hub.config.tls";

/// The name of gRPC's standard health service, which the hub serves.
const HEALTH_SERVICE_NAME: &str = "grpc.health.v1.Health";

/// The `grpc-hub` built-in module: one tonic server hosting every module's gRPC services,
/// the standard gRPC health service and the host's [directory](crate::directory).
///
/// # Lifecycle
/// * `pre_init` takes the host's [`HostSecret`] from the ClientHub, or generates one.
/// * `init` reads [`GrpcHubConfig`] from `modules.grpc-hub.config`.
/// * `start`, if the host needs the hub (some module serves gRPC, modules run out of
///   process, the host's secret was given, or `listen: always`; see [`ListenPolicy`]),
///   binds `bind_addr` (and the Unix socket, if configured), serves every service
///   the grpc phase collected, lists them in the directory and publishes
///   [`DirectoryAccess`] in the ClientHub. Otherwise it opens no port and
///   [`bound_endpoint`](GrpcHubCapability::bound_endpoint) stays `None`. Health reports the host and the modules'
///   services NOT_SERVING until start-up has finished, then SERVING; the hub's own
///   services (the directory, health) are SERVING from the start.
/// * `stop` reports NOT_SERVING, stops accepting calls and drains the ones in flight
///   within its stop deadline.
#[derive(Default)]
#[modkit::module(
    name = "grpc-hub",
    capabilities = [grpc_hub, stateful, system],
    config = GrpcHubConfig
)]
pub struct GrpcHub {
    prepared: Mutex<Prepared>,
    running: tokio::sync::Mutex<Option<Running>>,
}

#[derive(Default)]
struct Prepared {
    sys: Option<SystemContext>,
    secret: Option<HostSecret>,
    ctx: Option<ModuleCtx>,
    config: GrpcHubConfig,
    endpoint: Option<String>,
    /// Whether the host put its secret into the ClientHub before start-up: it expects
    /// children to register with the directory.
    secret_given: bool,
    tls: Option<Arc<ServerTls>>,
}

struct Running {
    shutdown: CancellationToken,
    health: HubHealth,
    servers: Vec<JoinHandle<()>>,
    tls_reload: Option<JoinHandle<()>>,
    unix_socket: Option<PathBuf>,
}

impl GrpcHub {
    /// Where the directory listens and the host's secret, once the hub has started.
    pub fn directory_access(&self) -> Option<DirectoryAccess> {
        let prepared = self.lock();
        Some(DirectoryAccess {
            endpoint: prepared.endpoint.clone()?,
            secret: prepared.secret.clone()?,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Prepared> {
        self.prepared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::fmt::Debug for GrpcHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let prepared = self.lock();
        f.debug_struct("GrpcHub")
            .field("config", &prepared.config)
            .field("endpoint", &prepared.endpoint)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl Module for GrpcHub {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        let config: GrpcHubConfig = ctx.config()?;
        let tls = match &config.tls {
            Some(tls) => Some(Arc::new(
                ServerTls::load(TLS_SECTION, tls, &[b"h2"]).map_err(GrpcHubError::from)?,
            )),
            None => None,
        };
        // Mutual TLS: the host calls its instances with the hub's certificate.
        if let Some(tls) = config
            .tls
            .as_ref()
            .filter(|tls| tls.client_ca_file.is_some())
        {
            let client =
                GrpcClientTls::from_config(TLS_SECTION, tls).map_err(GrpcHubError::from)?;
            ctx.client_hub().register::<GrpcClientTls>(Arc::new(client));
        }
        let mut prepared = self.lock();
        prepared.tls = tls;
        prepared.config = config;
        prepared.ctx = Some(ctx.clone());
        Ok(())
    }
}

#[async_trait::async_trait]
impl SystemCapability for GrpcHub {
    fn pre_init(&self, sys: &SystemContext) -> anyhow::Result<()> {
        let mut prepared = self.lock();
        prepared.sys = Some(sys.clone());
        // A host that hands the secret to its children itself (bootstrap's process backend)
        // registers it first; otherwise the hub draws one.
        let (secret, given) = match sys.client_hub().get::<HostSecret>() {
            Ok(secret) => (HostSecret::clone(&secret), true),
            Err(_) => (HostSecret::generate(), false),
        };
        prepared.secret = Some(secret);
        prepared.secret_given = given;
        Ok(())
    }
}

impl GrpcHubCapability for GrpcHub {
    fn bound_endpoint(&self) -> Option<String> {
        self.lock().endpoint.clone()
    }
}

/// Why the hub opens its ports, or `None` if nothing in the host needs them and its config
/// leaves it to the host ([`ListenPolicy::WhenNeeded`]).
fn listen_reason(
    config: &GrpcHubConfig,
    sys: &SystemContext,
    secret_given: bool,
) -> Option<&'static str> {
    if config.listen == ListenPolicy::Always {
        Some("`listen: always`")
    } else if !sys.grpc_installers().service_names().is_empty() {
        Some("modules serve gRPC")
    } else if !sys.out_of_process_modules().is_empty() {
        Some("modules run out of process")
    } else if secret_given {
        Some("the host's secret was given: children register with the directory")
    } else {
        None
    }
}

#[async_trait::async_trait]
impl RunnableCapability for GrpcHub {
    async fn start(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        let (sys, secret, ctx, config, secret_given, tls) = {
            let prepared = self.lock();
            let out_of_order = |needs| GrpcHubError::OutOfOrder {
                hook: "start",
                needs,
            };
            (
                prepared.sys.clone().ok_or(out_of_order("pre_init"))?,
                prepared.secret.clone().ok_or(out_of_order("pre_init"))?,
                prepared.ctx.clone().ok_or(out_of_order("init"))?,
                prepared.config.clone(),
                prepared.secret_given,
                prepared.tls.clone(),
            )
        };
        let Some(reason) = listen_reason(&config, &sys, secret_given) else {
            tracing::info!(
                "gRPC hub not listening: no module serves gRPC and no module runs out of \
                 process (set `modules.grpc-hub.config.listen: always` to listen anyway)"
            );
            return Ok(());
        };
        tracing::debug!(reason, "gRPC hub listening");
        let listeners =
            Listeners::bind(&config, tls.as_ref().map(|tls| tls.server_config())).await?;
        let tls_reload = tls.map(|tls| ctx.spawn("tls-reload", tls.watch()));
        let endpoint = listeners.endpoint.clone();

        let table = Arc::new(InstanceTable::new(
            config.instance_ttl,
            Some(sys.report().clone()),
        ));
        let shutdown = CancellationToken::new();
        let (reporter, health_service) = tonic_health::server::health_reporter();
        let mut routes = RoutesBuilder::default();
        let mut hosted: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for installer in sys.grpc_installers().take() {
            (installer.service.register)(&mut routes);
            hosted
                .entry(installer.module)
                .or_default()
                .push(installer.service.service_name.to_owned());
        }
        let served: Vec<(String, String)> = hosted
            .iter()
            .flat_map(|(module, services)| {
                services
                    .iter()
                    .map(move |service| (service.clone(), module.clone()))
            })
            .collect();
        hosted
            .entry(ctx.module_name().to_owned())
            .or_default()
            .extend([
                DIRECTORY_SERVICE_NAME.to_owned(),
                HEALTH_SERVICE_NAME.to_owned(),
            ]);
        routes.add_service(health_service);
        routes.add_service(
            HostDirectory::new(Arc::clone(&table), secret.clone(), shutdown.clone()).into_service(),
        );
        for (module, services) in hosted {
            table.host(InstanceInfo {
                module,
                instance_id: sys.instance_id().to_string(),
                services,
                endpoint: endpoint.clone(),
            });
        }

        let own = vec![
            DIRECTORY_SERVICE_NAME.to_owned(),
            HEALTH_SERVICE_NAME.to_owned(),
        ];
        let health = HubHealth::new(reporter, served, own);
        health.set_starting().await;
        let (servers, unix_socket) = listeners.serve(routes.routes(), &shutdown, &ctx);
        #[cfg(feature = "metrics")]
        if let Some(metrics) = sys
            .client_hub()
            .try_get::<crate::telemetry::metrics::Metrics>()
        {
            let table = Arc::clone(&table);
            metrics.observe_directory(move || table.instance_counts(std::time::Instant::now()));
        }
        let expiry = shutdown.clone();
        ctx.spawn("directory-expiry", async move {
            table.expire_on_time(expiry).await;
        });
        ctx.spawn(
            "grpc-health",
            health.clone().track(sys.report().clone(), shutdown.clone()),
        );
        sys.client_hub().register(Arc::new(DirectoryAccess {
            endpoint: endpoint.clone(),
            secret,
        }));
        tracing::info!(%endpoint, "gRPC hub listening");
        self.lock().endpoint = Some(endpoint);
        *self.running.lock().await = Some(Running {
            shutdown,
            health,
            servers,
            tls_reload,
            unix_socket,
        });
        Ok(())
    }

    async fn stop(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        let Some(running) = self.running.lock().await.take() else {
            return Ok(());
        };
        let sys = {
            let mut prepared = self.lock();
            prepared.endpoint = None;
            prepared.sys.clone()
        };
        if let Some(sys) = sys {
            sys.client_hub().remove::<DirectoryAccess>();
        }
        // Watchers learn NOT_SERVING before the server says goodbye.
        running.health.set_not_serving().await;
        running.shutdown.cancel();
        if let Some(reload) = running.tls_reload {
            reload.abort();
        }
        for mut server in running.servers {
            tokio::select! {
                _ = &mut server => {}
                () = cancel.cancelled() => {
                    tracing::warn!("gRPC calls still in flight at the stop deadline; closing their connections");
                    server.abort();
                }
            }
        }
        if let Some(path) = running.unix_socket {
            if let Err(error) = std::fs::remove_file(&path) {
                tracing::warn!(%error, path = %path.display(), "cannot remove the hub's Unix socket");
            }
        }
        Ok(())
    }
}
