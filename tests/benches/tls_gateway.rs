//! REST requests per second through the real `api-gateway` over loopback, in one run: the
//! same `GET` over plain HTTP/1.1, cleartext HTTP/2 (prior knowledge), HTTPS with
//! HTTP/1.1 and HTTPS with HTTP/2 (ALPN).
//!
//! Each round sends `REQUESTS` requests from `CLIENTS` concurrent clients: over HTTP/1.1
//! each client has its own keep-alive connection; over HTTP/2 the clients share one
//! connection (as HTTP/2 clients do). The four protocols take turns, round after round,
//! so the machine's noise falls on all of them alike; the program prints each protocol's
//! median requests per second and its ratio to plain HTTP/1.1. Connections are opened
//! before the clock starts: the figures are the steady state, not handshakes.
//!
//! Run with: cargo bench -p modkit-tests --bench tls_gateway

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::{TokioExecutor, TokioIo};
use modkit::registry::RegistryBuilder;
use modkit_tests::tls::TestPki;
use modkit_tests::{JsonRoute, ServedHost};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite};

const CLIENTS: usize = 8;
const REQUESTS: usize = 4000;
const ROUNDS: usize = 15;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Protocol {
    Http1,
    H2c,
    Https1,
    Https2,
}

/// Sends requests over one connection: HTTP/1.1 or HTTP/2.
#[derive(Clone)]
enum Sender {
    H1(Arc<tokio::sync::Mutex<hyper::client::conn::http1::SendRequest<Empty<Bytes>>>>),
    H2(hyper::client::conn::http2::SendRequest<Empty<Bytes>>),
}

impl Sender {
    async fn get(&self, uri: &str) {
        let request = || {
            hyper::Request::get(uri)
                .header("host", "localhost")
                .body(Empty::<Bytes>::new())
                .unwrap()
        };
        let response = match self {
            Self::H1(sender) => {
                let mut sender = sender.lock().await;
                sender.ready().await.unwrap();
                sender.send_request(request()).await.unwrap()
            }
            Self::H2(sender) => {
                let mut sender = sender.clone();
                sender.ready().await.unwrap();
                sender.send_request(request()).await.unwrap()
            }
        };
        assert!(response.status().is_success(), "{}", response.status());
        let _ = response.into_body().collect().await.unwrap();
    }
}

async fn handshake<I>(io: I, h2: bool) -> Sender
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    if h2 {
        let (sender, connection) =
            hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(io))
                .await
                .unwrap();
        tokio::spawn(connection);
        Sender::H2(sender)
    } else {
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
            .await
            .unwrap();
        tokio::spawn(connection);
        Sender::H1(Arc::new(tokio::sync::Mutex::new(sender)))
    }
}

async fn connect(addr: SocketAddr, tls: Option<&TestPki>, h2: bool) -> Sender {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    match tls {
        None => handshake(stream, h2).await,
        Some(pki) => {
            let alpn: &[&[u8]] = if h2 { &[b"h2"] } else { &[b"http/1.1"] };
            let config = pki.client_config(None, alpn);
            let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
            let stream = tokio_rustls::TlsConnector::from(config)
                .connect(name, stream)
                .await
                .unwrap();
            handshake(stream, h2).await
        }
    }
}

/// One sender per client: its own connection over HTTP/1.1, one shared over HTTP/2.
async fn senders(addr: SocketAddr, tls: Option<&TestPki>, h2: bool) -> Vec<Sender> {
    if h2 {
        let shared = connect(addr, tls, true).await;
        vec![shared; CLIENTS]
    } else {
        let mut senders = Vec::with_capacity(CLIENTS);
        for _ in 0..CLIENTS {
            senders.push(connect(addr, tls, false).await);
        }
        senders
    }
}

/// Requests per second of one round.
async fn round(senders: &[Sender], uri: &str) -> f64 {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for sender in senders {
        let sender = sender.clone();
        let uri = uri.to_owned();
        tasks.spawn(async move {
            for _ in 0..REQUESTS / CLIENTS {
                sender.get(&uri).await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    REQUESTS as f64 / started.elapsed().as_secs_f64()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

async fn host(tls: Option<&TestPki>) -> ServedHost {
    let mut builder = RegistryBuilder::default();
    JsonRoute::<Vec<String>>::register("hello", "/v1/hello", "hello", &mut builder);
    let modules = match tls {
        None => json!({}),
        Some(pki) => {
            let server = pki.issue("server");
            json!({ "api-gateway": { "config": { "tls": {
                "cert_file": server.cert_file,
                "key_file": server.key_file,
            } } } })
        }
    };
    ServedHost::start(builder, modules).await
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pki = TestPki::new("bench");
        let plain = host(None).await;
        let secure = host(Some(&pki)).await;
        let protocols = [
            Protocol::Http1,
            Protocol::H2c,
            Protocol::Https1,
            Protocol::Https2,
        ];
        let mut clients = Vec::new();
        for protocol in protocols {
            let h2 = matches!(protocol, Protocol::H2c | Protocol::Https2);
            let (addr, tls) = match protocol {
                Protocol::Http1 | Protocol::H2c => (plain.addr(), None),
                Protocol::Https1 | Protocol::Https2 => (secure.addr(), Some(&pki)),
            };
            let scheme = if tls.is_some() { "https" } else { "http" };
            let uri = format!("{scheme}://localhost:{}/v1/hello", addr.port());
            clients.push((protocol, senders(addr, tls, h2).await, uri));
        }
        // One warm-up round each.
        for (_, senders, uri) in &clients {
            round(senders, uri).await;
        }
        let mut rates = vec![Vec::with_capacity(ROUNDS); clients.len()];
        for _ in 0..ROUNDS {
            for (i, (_, senders, uri)) in clients.iter().enumerate() {
                rates[i].push(round(senders, uri).await);
            }
        }
        println!(
            "{REQUESTS} GETs a round from {CLIENTS} concurrent clients, {ROUNDS} rounds a protocol, interleaved"
        );
        let baseline = median(&mut rates[0].clone());
        for ((protocol, _, _), rates) in clients.iter().zip(&mut rates) {
            let median = median(rates);
            println!(
                "{protocol:?}: median {median:.0} requests/s ({:.2}x plain HTTP/1.1)",
                median / baseline
            );
        }
        drop(clients);
        plain.shut_down().await.assert_ok();
        secure.shut_down().await.assert_ok();
    });
}
