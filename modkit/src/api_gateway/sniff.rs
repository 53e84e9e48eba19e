//! Telling HTTP/2 with prior knowledge from HTTP/1.1 on a cleartext connection.
//!
//! An h2c client starts with the 24-byte connection preface (RFC 9113 §3.4); an HTTP/1
//! request line never does. The bytes read to decide are handed back first by
//! [`Prefixed`], so the chosen protocol reads the connection from its start.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};

/// The HTTP/2 connection preface.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Reads from `io` until its first bytes either are the HTTP/2 preface or cannot be;
/// returns the connection (those bytes to be read again) and whether it speaks HTTP/2.
/// Reads at most the preface's 24 bytes; an HTTP/1 request decides at its first byte.
pub(super) async fn sniff<I: AsyncRead + Unpin>(mut io: I) -> io::Result<(Prefixed<I>, bool)> {
    let mut read = Vec::with_capacity(PREFACE.len());
    let mut buf = [0u8; PREFACE.len()];
    while read.len() < PREFACE.len() && PREFACE.starts_with(&read) {
        let n = io.read(&mut buf[..PREFACE.len() - read.len()]).await?;
        if n == 0 {
            break;
        }
        read.extend_from_slice(&buf[..n]);
    }
    let h2 = read == PREFACE;
    Ok((Prefixed::new(read, io), h2))
}

/// A connection whose first bytes, already read, are read again before the rest.
#[derive(Debug)]
pub(super) struct Prefixed<I> {
    prefix: Vec<u8>,
    at: usize,
    io: I,
}

impl<I> Prefixed<I> {
    fn new(prefix: Vec<u8>, io: I) -> Self {
        Self { prefix, at: 0, io }
    }
}

impl<I: AsyncRead + Unpin> AsyncRead for Prefixed<I> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.at < self.prefix.len() {
            let n = (self.prefix.len() - self.at).min(buf.remaining());
            let at = self.at;
            buf.put_slice(&self.prefix[at..at + n]);
            self.at += n;
            if self.at == self.prefix.len() {
                self.prefix = Vec::new();
                self.at = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Prefixed<I> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncReadExt;

    use super::*;

    async fn sniffed(input: &[u8]) -> (bool, Vec<u8>) {
        let (prefixed, h2) = sniff(input).await.unwrap();
        let mut again = Vec::new();
        let mut prefixed = prefixed;
        prefixed.read_to_end(&mut again).await.unwrap();
        (h2, again)
    }

    #[tokio::test]
    async fn the_preface_means_http2_and_every_byte_is_read_again() {
        let mut h2c = PREFACE.to_vec();
        h2c.extend_from_slice(b"\x00\x00\x00\x04");
        assert_eq!(sniffed(&h2c).await, (true, h2c.clone()));
        let h1 = b"GET / HTTP/1.1\r\nhost: x\r\n\r\n";
        assert_eq!(sniffed(h1).await, (false, h1.to_vec()));
        // A prefix of the preface that then differs is HTTP/1 (a bad request line).
        let near = b"PRI * HTTP/1.1\r\n\r\n";
        assert_eq!(sniffed(near).await, (false, near.to_vec()));
        assert_eq!(sniffed(b"").await, (false, Vec::new()));
    }
}
