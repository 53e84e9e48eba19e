//! Listening, serving and draining.
//!
//! Connections are tasks owned by the server task (a `JoinSet`), so that a drain cut short
//! by the stop deadline ends every connection still open, rather than leaving them to
//! outlive the module.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use super::ApiGatewayError;
use super::layers::RequestPolicy;
use super::unreadable::ConnectionIo;
use crate::context::ModuleCtx;

/// A running server: stop it with [`drain`](Self::drain).
#[derive(Debug)]
pub(super) struct Server {
    shutdown: CancellationToken,
    task: JoinHandle<()>,
}

impl Server {
    /// Binds `addr` and serves `router` on a task owned by the module; returns the bound
    /// address once the socket listens. `policy` names the requests hyper cannot read.
    pub(super) async fn start(
        ctx: &ModuleCtx,
        addr: SocketAddr,
        router: Router,
        policy: Arc<RequestPolicy>,
    ) -> Result<(Self, SocketAddr), ApiGatewayError> {
        let bind_error = |source| ApiGatewayError::Bind { addr, source };
        let listener = TcpListener::bind(addr).await.map_err(bind_error)?;
        let local_addr = listener.local_addr().map_err(bind_error)?;
        let shutdown = CancellationToken::new();
        let task = ctx.spawn(
            "http-server",
            serve(listener, router, policy, shutdown.clone()),
        );
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
async fn serve(
    listener: TcpListener,
    router: Router,
    policy: Arc<RequestPolicy>,
    shutdown: CancellationToken,
) {
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
                    let served = connection(stream, remote, router.clone(), policy.clone(), stop);
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

/// Serves one HTTP/1 connection; on `shutdown`, finishes the request in flight and closes.
async fn connection(
    stream: TcpStream,
    remote: SocketAddr,
    router: Router,
    policy: Arc<RequestPolicy>,
    shutdown: CancellationToken,
) {
    let _ = stream.set_nodelay(true);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(remote));
        router.clone().oneshot(request)
    });
    let mut connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(ConnectionIo::new(stream)), service);
    let result = tokio::select! {
        result = &mut connection => result,
        () = shutdown.cancelled() => {
            std::pin::Pin::new(&mut connection).graceful_shutdown();
            (&mut connection).await
        }
    };
    if let Err(error) = &result {
        tracing::debug!(%error, %remote, "connection ended with an error");
    }
    // hyper is done with the socket; what it last wrote may still have to be sent.
    let io = connection.into_parts().io.into_inner();
    if let Err(error) = io
        .finish(result.as_ref().map(|_| ()), &policy, &shutdown)
        .await
    {
        tracing::debug!(%error, %remote, "connection could not be ended cleanly");
    }
}
