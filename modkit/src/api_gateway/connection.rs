//! Serving one accepted connection: the TLS handshake if configured, then HTTP/1.1 or
//! HTTP/2 (by ALPN over TLS, by prior knowledge over cleartext).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use super::layers::RequestPolicy;
use super::sniff::sniff;
use super::unreadable::ConnectionIo;

/// How long a client has to finish its TLS handshake, or to send the first bytes that
/// tell its HTTP version: as long as hyper gives an HTTP/1 request head.
const OPENING_TIMEOUT: Duration = Duration::from_secs(30);

/// The ALPN protocols the gateway offers, preferred first.
pub(super) const ALPN: [&[u8]; 2] = [b"h2", b"http/1.1"];

/// What a connection needs to be served.
#[derive(Clone)]
pub(super) struct Serving {
    pub(super) router: Router,
    pub(super) policy: Arc<RequestPolicy>,
    pub(super) tls: Option<tokio_rustls::TlsAcceptor>,
}

/// Serves one connection until it ends; on `shutdown`, finishes the requests in flight
/// and closes.
pub(super) async fn serve_connection(
    stream: TcpStream,
    remote: SocketAddr,
    serving: Serving,
    shutdown: CancellationToken,
) {
    let _ = stream.set_nodelay(true);
    let Serving {
        router,
        policy,
        tls,
    } = serving;
    let opened = async {
        match tls {
            Some(acceptor) => {
                let stream = acceptor.accept(stream).await?;
                let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2");
                Ok(Opened::Tls(Box::new(stream), h2))
            }
            None => {
                let (stream, h2) = sniff(stream).await?;
                Ok::<_, std::io::Error>(Opened::Clear(stream, h2))
            }
        }
    };
    let opened = tokio::select! {
        opened = tokio::time::timeout(OPENING_TIMEOUT, opened) => opened,
        () = shutdown.cancelled() => return,
    };
    let opened = match opened {
        Ok(Ok(opened)) => opened,
        Ok(Err(error)) => {
            // A failed handshake (no client certificate under mutual TLS, say).
            tracing::debug!(%error, %remote, "connection refused before its first request");
            return;
        }
        Err(_) => {
            tracing::debug!(%remote, "connection closed: it did not open in time");
            return;
        }
    };
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(remote));
        router.clone().oneshot(request)
    });
    match opened {
        Opened::Tls(stream, true) => http2(stream, service, remote, &shutdown).await,
        Opened::Tls(stream, false) => http1(stream, service, remote, &policy, &shutdown).await,
        Opened::Clear(stream, true) => http2(stream, service, remote, &shutdown).await,
        Opened::Clear(stream, false) => {
            http1(stream, service, remote, &policy, &shutdown).await;
        }
    }
}

/// An opened connection, and whether it speaks HTTP/2. (The TLS state is large: boxed.)
enum Opened {
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>, bool),
    Clear(super::sniff::Prefixed<TcpStream>, bool),
}

/// Serves HTTP/1.1; requests hyper cannot read get a problem answer (see
/// [`ConnectionIo`]).
async fn http1<I, S>(
    io: I,
    service: S,
    remote: SocketAddr,
    policy: &RequestPolicy,
    shutdown: &CancellationToken,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: hyper::service::Service<
            hyper::Request<Incoming>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        >,
    S::Future: Send + 'static,
{
    let mut connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(ConnectionIo::new(io)), service);
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
        .finish(result.as_ref().map(|_| ()), policy, shutdown)
        .await
    {
        tracing::debug!(%error, %remote, "connection could not be ended cleanly");
    }
}

/// Serves HTTP/2 (hyper answers unreadable frames with HTTP/2 errors itself).
async fn http2<I, S>(io: I, service: S, remote: SocketAddr, shutdown: &CancellationToken)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: hyper::service::Service<
            hyper::Request<Incoming>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Send
        + 'static,
    S::Future: Send + 'static,
{
    let connection = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(io), service);
    let mut connection = std::pin::pin!(connection);
    let result = tokio::select! {
        result = connection.as_mut() => result,
        () = shutdown.cancelled() => {
            connection.as_mut().graceful_shutdown();
            connection.as_mut().await
        }
    };
    if let Err(error) = &result {
        tracing::debug!(%error, %remote, "HTTP/2 connection ended with an error");
    }
}
