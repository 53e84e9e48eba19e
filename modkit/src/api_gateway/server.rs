//! Listening, serving and draining.
//!
//! Connections are tasks owned by the server task (a `JoinSet`), so that a drain cut short
//! by the stop deadline ends every connection still open, rather than leaving them to
//! outlive the module.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;

use super::ApiGatewayError;
use super::connection::{Serving, serve_connection};
use crate::context::ModuleCtx;

/// A running server: stop it with [`drain`](Self::drain).
#[derive(Debug)]
pub(super) struct Server {
    shutdown: CancellationToken,
    task: JoinHandle<()>,
}

impl Server {
    /// Binds `addr` and serves on a task owned by the module; returns the bound address
    /// once the socket listens.
    pub(super) async fn start(
        ctx: &ModuleCtx,
        addr: SocketAddr,
        serving: Serving,
    ) -> Result<(Self, SocketAddr), ApiGatewayError> {
        let bind_error = |source| ApiGatewayError::Bind { addr, source };
        let listener = TcpListener::bind(addr).await.map_err(bind_error)?;
        let local_addr = listener.local_addr().map_err(bind_error)?;
        let shutdown = CancellationToken::new();
        let task = ctx.spawn("http-server", serve(listener, serving, shutdown.clone()));
        Ok((Self { shutdown, task }, local_addr))
    }

    /// Stops accepting connections and waits for in-flight requests, until `deadline`
    /// fires; every connection still open then is closed.
    pub(super) async fn drain(
        mut self,
        deadline: CancellationToken,
    ) -> Result<(), ApiGatewayError> {
        self.shutdown.cancel();
        tokio::select! {
            _ = &mut self.task => Ok(()),
            () = deadline.cancelled() => {
                self.task.abort();
                let _ = (&mut self.task).await;
                Err(ApiGatewayError::DrainTimedOut)
            }
        }
    }
}

/// Accepts connections until `shutdown`, then waits for the open ones to finish.
async fn serve(listener: TcpListener, serving: Serving, shutdown: CancellationToken) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, remote)) => {
                    // A child token per connection: each connection then waits on its own
                    // lock-free-until-cancelled node instead of every request of every
                    // connection polling the one shared token.
                    let stop = shutdown.child_token();
                    let served = serve_connection(stream, remote, serving.clone(), stop);
                    connections.spawn(served);
                }
                Err(error) => {
                    // Out of file descriptors, say: back off rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}
