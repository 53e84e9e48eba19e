//! Listening, serving and draining.

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::ApiGatewayError;
use crate::context::ModuleCtx;

/// A running server: stop it with [`drain`](Self::drain).
#[derive(Debug)]
pub(super) struct Server {
    shutdown: CancellationToken,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Binds `addr` and serves `router` on a task owned by the module; returns the bound
    /// address once the socket listens.
    pub(super) async fn start(
        ctx: &ModuleCtx,
        addr: SocketAddr,
        router: Router,
    ) -> Result<(Self, SocketAddr), ApiGatewayError> {
        let bind_error = |source| ApiGatewayError::Bind { addr, source };
        let listener = TcpListener::bind(addr).await.map_err(bind_error)?;
        let local_addr = listener.local_addr().map_err(bind_error)?;
        let shutdown = CancellationToken::new();
        let signal = shutdown.clone().cancelled_owned();
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        let task = ctx.spawn("http-server", async move {
            axum::serve(listener, service)
                .with_graceful_shutdown(signal)
                .await
        });
        Ok((Self { shutdown, task }, local_addr))
    }

    /// Stops accepting connections and waits for in-flight requests, until `deadline`
    /// fires; whatever still runs then is dropped.
    pub(super) async fn drain(
        mut self,
        deadline: CancellationToken,
    ) -> Result<(), ApiGatewayError> {
        self.shutdown.cancel();
        tokio::select! {
            joined = &mut self.task => match joined {
                Ok(Ok(())) => Ok(()),
                Ok(Err(error)) => Err(ApiGatewayError::Serve(error)),
                Err(join) if join.is_cancelled() => Ok(()),
                Err(join) => Err(ApiGatewayError::Serve(std::io::Error::other(join.to_string()))),
            },
            () = deadline.cancelled() => {
                self.task.abort();
                Err(ApiGatewayError::DrainTimedOut)
            }
        }
    }
}
