//! A listener's TCP connections, through a TLS handshake, as a stream (tonic's
//! `serve_with_incoming`, for the gRPC hub and out-of-process children).

use std::io;
use std::time::Duration;

use futures_util::Stream;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;
use tokio_util::sync::CancellationToken;

/// How long a client has to finish its handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections waiting for tonic to take them.
const QUEUE: usize = 64;

/// Accepts on `listener` until `shutdown` and hands tonic the connections whose handshake
/// succeeded; a failed handshake (a client without a certificate under mutual TLS, say)
/// closes that connection only. Handshakes run side by side, so a slow client does not hold
/// up the others. Returns the stream and the accepting task's future (spawn it).
pub(crate) fn tls_incoming(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    shutdown: CancellationToken,
) -> (
    impl Stream<Item = io::Result<TlsStream<TcpStream>>>,
    impl Future<Output = ()> + Send + 'static,
) {
    let (sender, receiver) = mpsc::channel(QUEUE);
    let accepting = async move {
        let mut handshakes = JoinSet::new();
        loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, remote)) => {
                        let _ = stream.set_nodelay(true);
                        let acceptor = acceptor.clone();
                        let sender = sender.clone();
                        handshakes.spawn(async move {
                            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                                Ok(Ok(stream)) => {
                                    let _ = sender.send(stream).await;
                                }
                                Ok(Err(error)) => {
                                    tracing::debug!(%error, %remote, "gRPC TLS handshake refused");
                                }
                                Err(_) => tracing::debug!(%remote, "gRPC TLS handshake timed out"),
                            }
                        });
                    }
                    Err(error) => {
                        // Out of file descriptors, say: back off rather than spin.
                        tracing::warn!(%error, "cannot accept a gRPC connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                Some(_) = handshakes.join_next(), if !handshakes.is_empty() => {}
            }
        }
    };
    let incoming = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let stream = receiver.recv().await?;
        Some((Ok(stream), receiver))
    });
    (incoming, accepting)
}
