//! What bearer-token authentication costs per request, through the real `api-gateway` over
//! loopback, in one run: the same `GET` on a public operation and on a protected one with
//! a token the gateway has already verified (cached by its SHA-256 until it expires), and
//! the protected `GET` with the cache off, so that every request verifies the signature,
//! for each algorithm (RS256 with 2048-bit RSA, ES256, EdDSA).
//!
//! Two measurements:
//! * `token_verifier/*` (criterion): `TokenVerifier::verify` alone, for a token already
//!   verified (the cache hit every repeated request takes) and, with the cache off, the
//!   first verification of a token of each algorithm;
//! * `paired rounds` (printed): the same `GET` over one loopback keep-alive connection on a
//!   public operation and on a protected one with a cached token, alternating rounds of
//!   `ROUND` requests, 40 pairs; the median of the per-pair differences is what the gate
//!   (authentication, authorization, the task-local context) adds per request, with far
//!   less of the machine's noise than two separate runs.
//!
//! Run with: cargo bench -p modkit-tests --bench auth_gateway

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use modkit::api_gateway::{JwtConfig, TokenVerifier};
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::{Module, ModuleCtx, OpenApiRegistry, RestApiCapability};
use modkit_tests::ServedHost;
use modkit_tests::security::{TestSigner, auth_modules, claims, jwks, jwks_file};
use serde_json::json;

/// `GET /public` and `GET /protected`, both answering `pong`.
struct Ping;

#[modkit::async_trait]
impl Module for Ping {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl RestApiCapability for Ping {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        let router = OperationBuilder::get("/public")
            .public()
            .handler(|| async { "pong" })
            .text_response(StatusCode::OK, "pong")
            .register(router, openapi);
        Ok(OperationBuilder::get("/protected")
            .handler(|| async { "pong" })
            .text_response(StatusCode::OK, "pong")
            .register(router, openapi))
    }
}

async fn host(file: &std::path::Path, cache: usize) -> ServedHost {
    let mut builder = RegistryBuilder::default();
    let ping = Arc::new(Ping);
    builder.register_core_with_meta("ping", &[], ping.clone());
    builder.register_rest_with_meta("ping", ping);
    let modules = auth_modules(
        json!({ "jwks_file": file }),
        json!({ "token_cache_size": cache, "leeway": "60s" }),
    );
    ServedHost::start(builder, modules).await
}

async fn connect(addr: SocketAddr) -> SendRequest<Empty<Bytes>> {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    sender
}

/// `iterations` requests back to back on one keep-alive connection.
async fn requests(
    sender: &mut SendRequest<Empty<Bytes>>,
    path: &str,
    token: Option<&str>,
    iterations: u64,
) -> Duration {
    let began = Instant::now();
    for _ in 0..iterations {
        let mut request = hyper::Request::get(path).header("host", "bench");
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        sender.ready().await.expect("the connection is open");
        let response = sender
            .send_request(request.body(Empty::new()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let _ = response.into_body().collect().await.unwrap();
    }
    began.elapsed()
}

/// Requests per round of the paired measurement.
const ROUND: u64 = 500;
/// Pairs of rounds.
const PAIRS: usize = 40;

fn auth_gateway(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let signers = [
        ("RS256", TestSigner::rs256("rsa")),
        ("ES256", TestSigner::es256("ec")),
        ("EdDSA", TestSigner::eddsa("ed")),
    ];
    let file = jwks_file(
        "auth-bench",
        &jwks(&signers.iter().map(|(_, s)| s).collect::<Vec<_>>()),
    );
    // Valid for an hour: longer than any run.
    let mut token_claims = claims("bench-user", "");
    token_claims["exp"] = json!(modkit_tests::security::now() + 3600);
    let tokens: Vec<(&str, String)> = signers
        .iter()
        .map(|(name, signer)| (*name, signer.sign(&token_claims)))
        .collect();

    // The verifier alone.
    let config = |cache: usize| -> JwtConfig {
        let modules = auth_modules(
            json!({ "jwks_file": file }),
            json!({ "token_cache_size": cache, "leeway": "60s" }),
        );
        serde_json::from_value(modules["api-gateway"]["config"]["auth"]["jwt"].clone()).unwrap()
    };
    let (cached, uncached) = runtime.block_on(async {
        let cached = TokenVerifier::new(&config(10_000)).unwrap();
        cached.load_keys().await.unwrap();
        let uncached = TokenVerifier::new(&config(0)).unwrap();
        uncached.load_keys().await.unwrap();
        (cached, uncached)
    });
    let mut group = c.benchmark_group("token_verifier");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let token = tokens[0].1.clone();
    runtime.block_on(cached.verify(&token)).unwrap();
    group.bench_function("cached", |b| {
        b.iter(|| runtime.block_on(cached.verify(&token)).unwrap());
    });
    for (name, token) in &tokens {
        group.bench_function(format!("first_verification_{name}"), |b| {
            b.iter(|| runtime.block_on(uncached.verify(token)).unwrap());
        });
    }
    group.finish();

    // The whole gate, over loopback, paired rounds.
    let host = runtime.block_on(host(&file, 10_000));
    let mut connection = runtime.block_on(connect(host.addr()));
    let mut differences = Vec::with_capacity(PAIRS);
    let (mut public_times, mut protected_times) = (Vec::new(), Vec::new());
    runtime.block_on(async {
        requests(&mut connection, "/protected", Some(&token), ROUND).await;
        for _ in 0..PAIRS {
            let public = requests(&mut connection, "/public", None, ROUND).await;
            let protected = requests(&mut connection, "/protected", Some(&token), ROUND).await;
            let per_request = |d: Duration| d.as_nanos() as f64 / ROUND as f64;
            public_times.push(per_request(public));
            protected_times.push(per_request(protected));
            differences.push(per_request(protected) - per_request(public));
        }
    });
    println!(
        "paired rounds ({PAIRS} x {ROUND} requests): public median {:.1} us, protected (cached \
         token) median {:.1} us, median per-pair difference {:.2} us",
        median(&mut public_times) / 1000.0,
        median(&mut protected_times) / 1000.0,
        median(&mut differences) / 1000.0,
    );
    runtime.block_on(async { host.shut_down().await.assert_ok() });
    let _ = std::fs::remove_file(file);
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

criterion_group!(benches, auth_gateway);
criterion_main!(benches);
