//! HTTP/1.1 over a bare `TcpStream`, for requests no HTTP client would send.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::within;

/// One response read off the socket.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// `HTTP/1.1 404 Not Found`.
    pub status_line: String,
    /// The header lines, names lowercased, in order.
    pub headers: Vec<(String, String)>,
    /// The body (`Content-Length` bytes; none for `1xx`).
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The status code.
    ///
    /// # Panics
    /// If the status line has none.
    pub fn status(&self) -> u16 {
        self.status_line
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("no status in `{}`", self.status_line))
    }

    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    ///
    /// # Panics
    /// If it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Sends `request` to `addr` and reads every response until the server closes the
/// connection, bounded by [`PATIENCE`](crate::PATIENCE). The request is written from its own
/// task, so that a server answering before it has read everything does not stall the
/// exchange; a write the server cut short is not an error.
///
/// # Panics
/// If the connection fails, the server does not close it in time, or what it sent is not
/// a sequence of HTTP/1.1 responses.
pub async fn exchange(addr: SocketAddr, request: Vec<u8>) -> Vec<RawResponse> {
    let stream = TcpStream::connect(addr)
        .await
        .expect("connect to the server");
    let (mut reader, mut writer) = stream.into_split();
    let sending = tokio::spawn(async move {
        let _ = writer.write_all(&request).await;
        // Keep the write half open: closing it could end the exchange early.
        writer
    });
    let mut received = Vec::new();
    within(
        "the server's answer and close",
        reader.read_to_end(&mut received),
    )
    .await
    .expect("read the answer");
    drop(sending.await);
    parse(&received)
}

fn parse(mut bytes: &[u8]) -> Vec<RawResponse> {
    let mut responses = Vec::new();
    while !bytes.is_empty() {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("an incomplete head: {}", String::from_utf8_lossy(bytes)));
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let mut response = RawResponse {
            status_line,
            headers,
            body: Vec::new(),
        };
        bytes = &bytes[end + 4..];
        if response.status() >= 200 {
            let length: usize = response
                .header("content-length")
                .and_then(|value| value.parse().ok())
                .unwrap_or(bytes.len());
            response.body = bytes[..length].to_vec();
            bytes = &bytes[length..];
        }
        responses.push(response);
    }
    responses
}
