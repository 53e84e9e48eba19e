//! Requests hyper cannot read, answered as problems.
//!
//! hyper answers a request head it cannot parse on its own, before any service sees it: a
//! request target over its fixed 65534-byte limit gets `414`, a head larger than its read
//! buffer `431`, a malformed request line or header or conflicting `Content-Length`s `400`
//! (`hyper::proto::h1::role::Server::on_error`, written by `Conn::on_parse_error`). The
//! answer is a bare status line with `connection: close`, `content-length: 0` and `date`,
//! and hyper offers no hook to change it.
//!
//! So the socket hyper writes to is a [`ConnectionIo`]: a write that ends with exactly such
//! a bare answer is held back instead of sent. When the connection then ends with hyper's
//! parse error, a problem (with a request id and `nosniff`) goes out in its place; in any
//! other case (a response body that merely ends with the same bytes) the held bytes are sent
//! unchanged as soon as hyper reads, writes or ends the connection, so nothing is lost or
//! reordered.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::http::StatusCode;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio_util::sync::CancellationToken;

use super::layers::RequestPolicy;
use crate::rest::{PROBLEM_CONTENT_TYPE, Problem};

/// How long, and for how many bytes, the rest of an unread request is read and dropped
/// after its problem is sent: closing a socket with unread input resets the connection,
/// which can destroy the answer before the client reads it.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: u64 = 4 << 20;

/// The longest bare answer hyper writes (a status line and three short headers).
const BARE_ANSWER_MAX: usize = 192;

/// The socket of one connection, as hyper sees it. See the [module documentation](self).
#[derive(Debug)]
pub(super) struct ConnectionIo<I> {
    io: I,
    /// A bare answer hyper wrote but that was not sent yet, and how much of it was sent
    /// since it turned out not to be one.
    held: Vec<u8>,
    released: usize,
}

impl<I> ConnectionIo<I> {
    pub(super) fn new(io: I) -> Self {
        Self {
            io,
            held: Vec::new(),
            released: 0,
        }
    }
}

impl<I: AsyncRead + AsyncWrite + Unpin> ConnectionIo<I> {
    /// Sends the held bytes, if any.
    fn poll_release(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.released < self.held.len() {
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &self.held[self.released..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.released += n;
        }
        self.held.clear();
        self.released = 0;
        Poll::Ready(Ok(()))
    }

    /// Ends the connection hyper has finished with `outcome`: a held bare answer becomes a
    /// problem if hyper failed to parse a request, and is sent as it was otherwise.
    pub(super) async fn finish(
        mut self,
        outcome: Result<(), &hyper::Error>,
        policy: &RequestPolicy,
        shutdown: &CancellationToken,
    ) -> io::Result<()> {
        if self.held.is_empty() {
            // hyper has sent, flushed and shut down everything itself.
            return Ok(());
        }
        let parse_error = outcome.err().filter(|error| error.is_parse());
        let (Some(error), Some(status)) = (parse_error, bare_answer_status(&self.held)) else {
            std::future::poll_fn(|cx| self.poll_release(cx)).await?;
            return self.io.shutdown().await;
        };
        let request_id = policy.ids.generate();
        tracing::info!(
            request_id = request_id.as_str(),
            status = status.as_u16(),
            %error,
            "a request could not be read"
        );
        let detail = format!("the request cannot be read: {error}");
        let answer = problem_answer(status, detail, request_id.as_str(), date(&self.held));
        self.io.write_all(&answer).await?;
        self.io.shutdown().await?;
        let drain = async {
            let mut rest = (&mut self.io).take(LINGER_BYTES);
            tokio::io::copy(&mut rest, &mut tokio::io::sink()).await
        };
        tokio::select! {
            _ = tokio::time::timeout(LINGER, drain) => {}
            () = shutdown.cancelled() => {}
        }
        Ok(())
    }
}

impl<I: AsyncRead + AsyncWrite + Unpin> AsyncRead for ConnectionIo<I> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        // hyper reads again: what it held back was not its last word.
        ready!(self.poll_release(cx))?;
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<I: AsyncRead + AsyncWrite + Unpin> AsyncWrite for ConnectionIo<I> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_release(cx))?;
        match bare_answer_start(buf) {
            None => Pin::new(&mut self.io).poll_write(cx, buf),
            // What comes before it goes out first, as usual.
            Some(start) if start > 0 => Pin::new(&mut self.io).poll_write(cx, &buf[..start]),
            Some(_) => {
                self.held.extend_from_slice(buf);
                Poll::Ready(Ok(buf.len()))
            }
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if !self.held.is_empty() {
            // hyper now thinks it is sent; have it polled once more so that, if it goes on
            // serving instead of ending, its next read or write sends it.
            cx.waker().wake_by_ref();
        }
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if !self.held.is_empty() {
            // `finish` decides, once hyper says why it ended.
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        // hyper then writes each message as one buffer, whose end is checked above.
        false
    }
}

/// Where a bare answer of hyper's starts in `buf`, if `buf` ends with one.
fn bare_answer_start(buf: &[u8]) -> Option<usize> {
    // Nearly every write ends with a body: one comparison decides.
    if !buf.ends_with(b"\r\n\r\n") {
        return None;
    }
    let window = buf.len().saturating_sub(BARE_ANSWER_MAX);
    let start = window + buf[window..].windows(9).rposition(|w| w == b"HTTP/1.1 ")?;
    bare_answer_status(&buf[start..]).map(|_| start)
}

/// The status of `head` if it is exactly a bare answer of hyper's to an unreadable request.
fn bare_answer_status(head: &[u8]) -> Option<StatusCode> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.strip_suffix("\r\n\r\n")?.split("\r\n");
    let status_line = lines.next()?.strip_prefix("HTTP/1.1 ")?;
    let (code, reason) = status_line.split_once(' ')?;
    let status = StatusCode::from_bytes(code.as_bytes()).ok()?;
    let known = [
        StatusCode::BAD_REQUEST,
        StatusCode::URI_TOO_LONG,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
    ];
    if !known.contains(&status) || status.canonical_reason() != Some(reason) {
        return None;
    }
    let mut closes = false;
    for line in lines {
        match line {
            "connection: close" => closes = true,
            "content-length: 0" => {}
            _ if line.starts_with("date: ") => {}
            _ => return None,
        }
    }
    closes.then_some(status)
}

/// The `date` header line of a bare answer, to keep in its place.
fn date(head: &[u8]) -> Option<&str> {
    std::str::from_utf8(head)
        .ok()?
        .split("\r\n")
        .find(|line| line.starts_with("date: "))
}

/// A whole `status` response whose body is a problem with `detail`.
fn problem_answer(
    status: StatusCode,
    detail: String,
    request_id: &str,
    date: Option<&str>,
) -> Vec<u8> {
    let problem = Problem::from_status(status)
        .with_detail(detail)
        .with_trace_id(request_id);
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut answer = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {PROBLEM_CONTENT_TYPE}\r\nx-request-id: {request_id}\r\n\
         x-content-type-options: nosniff\r\nconnection: close\r\ncontent-length: {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error"),
        body.len(),
    );
    if let Some(date) = date {
        answer.push_str(date);
        answer.push_str("\r\n");
    }
    answer.push_str("\r\n");
    let mut answer = answer.into_bytes();
    answer.extend_from_slice(&body);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    const BARE_414: &[u8] = b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\n\
        content-length: 0\r\ndate: Thu, 03 Dec 2026 08:57:10 GMT\r\n\r\n";

    #[test]
    fn only_a_bare_answer_at_the_end_is_found() {
        assert_eq!(bare_answer_start(BARE_414), Some(0));
        let mut after_a_response = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".to_vec();
        let response_len = after_a_response.len();
        after_a_response.extend_from_slice(BARE_414);
        assert_eq!(bare_answer_start(&after_a_response), Some(response_len));

        for not_bare in [
            &b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"[..],
            b"HTTP/1.1 204 No Content\r\ndate: Thu, 03 Dec 2026 08:57:10 GMT\r\n\r\n",
            b"HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\nx-request-id: 1\r\n\r\n",
            b"HTTP/1.1 414 Whatever\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n",
        ] {
            assert_eq!(
                bare_answer_start(not_bare),
                None,
                "{}",
                String::from_utf8_lossy(not_bare)
            );
        }
    }

    #[test]
    fn the_problem_answer_keeps_the_date_and_names_the_request() {
        let status = bare_answer_status(BARE_414).unwrap();
        assert_eq!(status, StatusCode::URI_TOO_LONG);
        let answer = problem_answer(status, "too long".to_owned(), "id-7", date(BARE_414));
        let answer = String::from_utf8(answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{head}");
        for line in [
            "content-type: application/problem+json",
            "x-request-id: id-7",
            "x-content-type-options: nosniff",
            "connection: close",
            "date: Thu, 03 Dec 2026 08:57:10 GMT",
        ] {
            assert!(head.contains(line), "{line} in {head}");
        }
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        let problem: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(problem["status"], 414);
        assert_eq!(problem["detail"], "too long");
        assert_eq!(problem["trace_id"], "id-7");
    }
}
