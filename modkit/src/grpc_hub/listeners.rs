//! Binding the hub's sockets and serving routes on them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use futures_util::FutureExt;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_util::sync::CancellationToken;
use tonic::service::Routes;
use tonic::transport::server::TcpIncoming;

use super::{GrpcHubConfig, GrpcHubError};
use crate::context::ModuleCtx;
use crate::tls::tls_incoming;

/// The hub's bound sockets.
#[derive(Debug)]
pub(crate) struct Listeners {
    tcp: TcpListener,
    tls: Option<Arc<ServerConfig>>,
    /// The TCP endpoint as others reach it (`http://127.0.0.1:50051`).
    pub(crate) endpoint: String,
    #[cfg(unix)]
    unix: Option<(tokio::net::UnixListener, PathBuf)>,
}

impl Listeners {
    /// Binds `config.bind_addr` and, if configured, the Unix socket. With `tls`, the TCP
    /// socket serves TLS (the Unix socket, owner-only, stays cleartext).
    pub(crate) async fn bind(
        config: &GrpcHubConfig,
        tls: Option<Arc<ServerConfig>>,
    ) -> Result<Self, GrpcHubError> {
        let tcp = TcpListener::bind(config.bind_addr)
            .await
            .map_err(|source| GrpcHubError::Bind {
                addr: config.bind_addr,
                source,
            })?;
        let local = tcp.local_addr().map_err(|source| GrpcHubError::Bind {
            addr: config.bind_addr,
            source,
        })?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let endpoint = format!("{scheme}://{}", reachable(local));
        #[cfg(unix)]
        let unix = match &config.uds_path {
            Some(path) => Some((bind_unix(path)?, path.clone())),
            None => None,
        };
        #[cfg(not(unix))]
        if let Some(path) = &config.uds_path {
            return Err(GrpcHubError::BindUnixSocket {
                path: path.clone(),
                source: std::io::Error::other("Unix sockets are not supported on this platform"),
            });
        }
        Ok(Self {
            tcp,
            tls,
            endpoint,
            #[cfg(unix)]
            unix,
        })
    }

    /// Serves `routes` on every socket until `shutdown` fires, then drains in-flight calls.
    /// Returns the servers' tasks (owned by the hub's module) and the Unix socket's path,
    /// to remove once they have ended.
    pub(crate) fn serve(
        self,
        routes: Routes,
        shutdown: &CancellationToken,
        ctx: &ModuleCtx,
    ) -> (Vec<tokio::task::JoinHandle<()>>, Option<PathBuf>) {
        let mut servers = Vec::new();
        #[cfg(feature = "metrics")]
        let timed = crate::telemetry::metrics::GrpcServerLayer::new(
            ctx.client_hub()
                .try_get::<crate::telemetry::metrics::Metrics>()
                .as_deref(),
        );
        #[cfg(feature = "metrics")]
        let server = || crate::telemetry::otel::grpc_server().layer(timed.clone());
        #[cfg(not(feature = "metrics"))]
        let server = crate::telemetry::otel::grpc_server;
        let endpoint = self.endpoint;
        let builder = server().add_routes(routes.clone());
        let served = match self.tls {
            Some(config) => {
                let acceptor = TlsAcceptor::from(config);
                let (incoming, accepting) = tls_incoming(self.tcp, acceptor, shutdown.clone());
                servers.push(ctx.spawn("grpc-tls-accept", accepting));
                builder
                    .serve_with_incoming_shutdown(incoming, shutdown.clone().cancelled_owned())
                    .boxed()
            }
            None => builder
                .serve_with_incoming_shutdown(
                    TcpIncoming::from(self.tcp).with_nodelay(Some(true)),
                    shutdown.clone().cancelled_owned(),
                )
                .boxed(),
        };
        servers.push(ctx.spawn("grpc-server", async move {
            if let Err(error) = served.await {
                tracing::error!(%error, %endpoint, "the gRPC server failed");
            }
        }));
        #[cfg(unix)]
        if let Some((listener, path)) = self.unix {
            let incoming = futures_util::stream::unfold(listener, |listener| async move {
                let accepted = listener.accept().await.map(|(stream, _)| stream);
                Some((accepted, listener))
            });
            let unix = server()
                .add_routes(routes)
                .serve_with_incoming_shutdown(incoming, shutdown.clone().cancelled_owned());
            let shown = path.display().to_string();
            servers.push(ctx.spawn("grpc-server-unix", async move {
                if let Err(error) = unix.await {
                    tracing::error!(%error, path = %shown, "the gRPC server on the Unix socket failed");
                }
            }));
            return (servers, Some(path));
        }
        (servers, None)
    }
}

/// The address others connect to: a wildcard bind is reached over loopback.
fn reachable(local: SocketAddr) -> SocketAddr {
    match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), local.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), local.port())
        }
        _ => local,
    }
}

/// Binds a Unix socket readable and writable by this user only, replacing a stale socket
/// file left by an earlier run (but nothing that is not a socket).
#[cfg(unix)]
fn bind_unix(path: &std::path::Path) -> Result<tokio::net::UnixListener, GrpcHubError> {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};

    let failed = |source| GrpcHubError::BindUnixSocket {
        path: path.to_owned(),
        source,
    };
    if let Ok(metadata) = std::fs::symlink_metadata(path) {
        if !metadata.file_type().is_socket() {
            return Err(failed(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "a file that is not a socket is in the way",
            )));
        }
        std::fs::remove_file(path).map_err(failed)?;
    }
    let listener = tokio::net::UnixListener::bind(path).map_err(failed)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(failed)?;
    Ok(listener)
}
