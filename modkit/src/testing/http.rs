//! A small HTTP/1.1 client for the `api-gateway` of a running [`TestHost`](super::TestHost),
//! so that a service's tests send real requests over loopback with no HTTP crate of
//! their own.

use std::borrow::Cow;
use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde::de::DeserializeOwned;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why a request of [`HttpClient`] failed, or its answer was not what the test expected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TestHttpError {
    /// The host runs no REST host whose address is known.
    #[error(
        "the test host serves no HTTP: choose the REST host too, as in \
         `TestHost::with_modules([\"api-gateway\", ..])`"
    )]
    NoGateway,
    /// The request could not be sent or its answer not read.
    #[error("`{request}` failed")]
    Request {
        /// Method and path.
        request: String,
        /// What went wrong.
        #[source]
        source: BoxError,
    },
    /// No complete answer came within the host's patience.
    #[error("`{request}` got no answer within {patience:?}")]
    TimedOut {
        /// Method and path.
        request: String,
        /// How long it waited.
        patience: Duration,
    },
    /// The request's body could not be written as JSON.
    #[error("the body of `{request}` cannot be written as JSON")]
    Encode {
        /// Method and path.
        request: String,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// The answer's body is not the JSON the test asked for.
    #[error("the answer to `{request}` ({status}) is not the JSON expected; its body: {body}")]
    Decode {
        /// Method and path.
        request: String,
        /// The answer's status.
        status: StatusCode,
        /// The answer's body (lossy UTF-8).
        body: String,
        /// Why it did not deserialize.
        #[source]
        source: serde_json::Error,
    },
}

/// Sends requests to a running test host's `api-gateway`; from
/// [`RunningTestHost::http`](super::RunningTestHost::http).
///
/// Each request opens its own connection to `127.0.0.1` and must be answered within the
/// host's patience.
#[derive(Debug, Clone)]
pub struct HttpClient {
    addr: SocketAddr,
    patience: Duration,
}

impl HttpClient {
    pub(super) fn new(addr: SocketAddr, patience: Duration) -> Self {
        Self { addr, patience }
    }

    /// The gateway's bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Result<HttpResponse, TestHttpError> {
        self.send(Method::GET, path, None).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> Result<HttpResponse, TestHttpError> {
        self.send(Method::DELETE, path, None).await
    }

    /// `POST path` with `body` as JSON.
    pub async fn post_json<T: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &T,
    ) -> Result<HttpResponse, TestHttpError> {
        self.send_json(Method::POST, path, body).await
    }

    /// `PUT path` with `body` as JSON.
    pub async fn put_json<T: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &T,
    ) -> Result<HttpResponse, TestHttpError> {
        self.send_json(Method::PUT, path, body).await
    }

    /// Sends `request` as it is (its URI is the path and query); for other methods,
    /// headers or raw bodies.
    pub async fn request(&self, request: Request<Vec<u8>>) -> Result<HttpResponse, TestHttpError> {
        let name = format!("{} {}", request.method(), request.uri());
        let (mut parts, body) = request.into_parts();
        if !parts.headers.contains_key(header::HOST) {
            let host = self
                .addr
                .to_string()
                .parse()
                .map_err(|error| Self::failed(&name, error))?;
            parts.headers.insert(header::HOST, host);
        }
        let request = Request::from_parts(parts, Full::new(Bytes::from(body)));
        match tokio::time::timeout(self.patience, self.exchange(request)).await {
            Ok(Ok((status, headers, body))) => Ok(HttpResponse {
                request: name,
                status,
                headers,
                body,
            }),
            Ok(Err(error)) => Err(Self::failed(&name, error)),
            Err(_) => Err(TestHttpError::TimedOut {
                request: name,
                patience: self.patience,
            }),
        }
    }

    async fn send_json<T: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: &T,
    ) -> Result<HttpResponse, TestHttpError> {
        let body = serde_json::to_vec(body).map_err(|source| TestHttpError::Encode {
            request: format!("{method} {path}"),
            source,
        })?;
        self.send(method, path, Some(body)).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        json: Option<Vec<u8>>,
    ) -> Result<HttpResponse, TestHttpError> {
        let mut request = Request::builder().method(&method).uri(path);
        if json.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(json.unwrap_or_default())
            .map_err(|error| Self::failed(&format!("{method} {path}"), error))?;
        self.request(request).await
    }

    async fn exchange(
        &self,
        request: Request<Full<Bytes>>,
    ) -> Result<(StatusCode, HeaderMap, Bytes), BoxError> {
        let stream = tokio::net::TcpStream::connect(self.addr).await?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        // The connection task ends when `sender` is dropped after the answer is read.
        tokio::spawn(connection);
        let response = sender.send_request(request).await?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok((parts.status, parts.headers, body))
    }

    fn failed(request: &str, error: impl Into<BoxError>) -> TestHttpError {
        TestHttpError::Request {
            request: request.to_owned(),
            source: error.into(),
        }
    }
}

/// A complete answer: status, headers and body.
pub struct HttpResponse {
    request: String,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl HttpResponse {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every header.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The header `name`, if it is present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The body.
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body as JSON of type `T`; the error shows the body, so that a test expecting a
    /// note and getting a problem says which problem.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, TestHttpError> {
        serde_json::from_slice(&self.body).map_err(|source| TestHttpError::Decode {
            request: self.request.clone(),
            status: self.status,
            body: self.text().into_owned(),
            source,
        })
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("request", &self.request)
            .field("status", &self.status)
            .field("body", &self.text())
            .finish_non_exhaustive()
    }
}
