//! The child's own gRPC hub: one tonic server on an ephemeral loopback port serving every
//! service of the child's modules; over mutual TLS when the host handed it a `tls` section
//! (only clients with a certificate from the host's CA, the host first, are served).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};

use futures_util::FutureExt;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::context::ModuleCtx;
use crate::contracts::{GrpcHubCapability, Module, RunnableCapability, SystemCapability};
use crate::registry::RegistryBuilder;
use crate::runtime::{GrpcInstallerStore, SystemContext};
use crate::tls::{ServerTls, TlsConfig, tls_incoming};

/// The name the child's server module registers under.
pub(super) const SERVER_MODULE: &str = "oop-grpc-server";

/// The running server: what stops it, its task, and the tasks beside it (accepting TLS
/// connections, reloading the certificate).
type Serving = (
    CancellationToken,
    JoinHandle<Result<(), tonic::transport::Error>>,
    Vec<JoinHandle<()>>,
);

#[derive(Default)]
pub(super) struct ChildGrpcServer {
    installers: OnceLock<Arc<GrpcInstallerStore>>,
    bound: OnceLock<SocketAddr>,
    services: OnceLock<Vec<String>>,
    serving: Mutex<Option<Serving>>,
    tls: Option<TlsConfig>,
}

impl ChildGrpcServer {
    /// Registers a server as the child's gRPC hub (a system, stateful module).
    pub(super) fn register(builder: &mut RegistryBuilder, tls: Option<TlsConfig>) -> Arc<Self> {
        let server = Arc::new(Self {
            tls,
            ..Self::default()
        });
        builder.register_core_with_meta(SERVER_MODULE, &[], server.clone());
        builder.register_system_with_meta(SERVER_MODULE, server.clone());
        builder.register_stateful_with_meta(SERVER_MODULE, server.clone());
        builder.register_grpc_hub_with_meta(SERVER_MODULE, server.clone());
        server
    }

    /// The services it serves, once started.
    pub(super) fn services(&self) -> Vec<String> {
        self.services.get().cloned().unwrap_or_default()
    }

    fn serving(&self) -> std::sync::MutexGuard<'_, Option<Serving>> {
        self.serving
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait::async_trait]
impl Module for ChildGrpcServer {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[async_trait::async_trait]
impl SystemCapability for ChildGrpcServer {
    fn pre_init(&self, sys: &SystemContext) -> anyhow::Result<()> {
        let _ = self.installers.set(sys.grpc_installers());
        Ok(())
    }
}

#[async_trait::async_trait]
impl RunnableCapability for ChildGrpcServer {
    async fn start(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let address = listener.local_addr()?;
        let installers = self
            .installers
            .get()
            .map(|store| store.take())
            .unwrap_or_default();
        let mut routes = tonic::service::RoutesBuilder::default();
        let mut services = Vec::with_capacity(installers.len());
        for installer in installers {
            (installer.service.register)(&mut routes);
            services.push(installer.service.service_name.to_owned());
        }
        let _ = self.services.set(services);
        let shutdown = CancellationToken::new();
        let builder = tonic::transport::Server::builder().add_routes(routes.routes());
        let mut beside = Vec::new();
        let server = match &self.tls {
            Some(config) => {
                let tls = Arc::new(ServerTls::load(super::TLS_SECTION, config, &[b"h2"])?);
                let (incoming, accepting) =
                    tls_incoming(listener, tls.acceptor(), shutdown.clone());
                beside.push(tokio::spawn(accepting));
                beside.push(tokio::spawn(tls.watch()));
                builder
                    .serve_with_incoming_shutdown(incoming, shutdown.clone().cancelled_owned())
                    .boxed()
            }
            None => builder
                .serve_with_incoming_shutdown(
                    tonic::transport::server::TcpIncoming::from(listener),
                    shutdown.clone().cancelled_owned(),
                )
                .boxed(),
        };
        let task = tokio::spawn(server);
        *self.serving() = Some((shutdown, task, beside));
        let _ = self.bound.set(address);
        tracing::info!(%address, "serving gRPC");
        drop(cancel);
        Ok(())
    }

    async fn stop(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        let serving = self.serving().take();
        if let Some((shutdown, task, beside)) = serving {
            shutdown.cancel();
            for task in beside {
                task.abort();
            }
            task.await??;
        }
        Ok(())
    }
}

impl GrpcHubCapability for ChildGrpcServer {
    fn bound_endpoint(&self) -> Option<String> {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        self.bound
            .get()
            .map(|address| format!("{scheme}://{address}"))
    }
}
