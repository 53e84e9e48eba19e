//! What bearer-token authentication costs per request, through the real `api-gateway` over
//! loopback, in one run: the same `GET` on a public operation and on a protected one with
//! a token the gateway has already verified (cached by its SHA-256 until it expires), and
//! the protected `GET` with the cache off, so that every request verifies the signature,
//! for each algorithm (RS256 with 2048-bit RSA, ES256, EdDSA).
//!
//! Run with: cargo bench -p modkit-tests --bench auth_gateway
//! The cost of authentication is the difference of medians against `public`.

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
        let response = sender
            .send_request(request.body(Empty::new()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let _ = response.into_body().collect().await.unwrap();
    }
    began.elapsed()
}

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
    let (cached, uncached) =
        runtime.block_on(async { (host(&file, 10_000).await, host(&file, 0).await) });
    let mut cached_conn = runtime.block_on(connect(cached.addr()));
    let mut uncached_conn = runtime.block_on(connect(uncached.addr()));

    let mut group = c.benchmark_group("auth_gateway");
    group
        .sample_size(60)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group.bench_function("public", |b| {
        b.iter_custom(|n| runtime.block_on(requests(&mut cached_conn, "/public", None, n)));
    });
    let token = tokens[0].1.clone();
    group.bench_function("protected_cached_token", |b| {
        b.iter_custom(|n| {
            runtime.block_on(requests(&mut cached_conn, "/protected", Some(&token), n))
        });
    });
    group.bench_function("public_no_cache_host", |b| {
        b.iter_custom(|n| runtime.block_on(requests(&mut uncached_conn, "/public", None, n)));
    });
    for (name, token) in &tokens {
        group.bench_function(format!("protected_verify_every_time_{name}"), |b| {
            b.iter_custom(|n| {
                runtime.block_on(requests(&mut uncached_conn, "/protected", Some(token), n))
            });
        });
    }
    group.finish();
    runtime.block_on(async {
        cached.shut_down().await.assert_ok();
        uncached.shut_down().await.assert_ok();
    });
    let _ = std::fs::remove_file(file);
}

criterion_group!(benches, auth_gateway);
criterion_main!(benches);
