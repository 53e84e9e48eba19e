//! [`JwksServer`]: an issuer's key endpoint and OIDC discovery document on loopback,
//! whose keys the test can swap, counting how often they are fetched.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

/// A JWKS server on `127.0.0.1:0`: `GET /jwks.json` and
/// `GET /.well-known/openid-configuration` (naming `issuer` and that `jwks_uri`).
#[derive(Debug)]
pub struct JwksServer {
    addr: SocketAddr,
    keys: Arc<Mutex<Value>>,
    fetches: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl JwksServer {
    /// Serves `keys` (a JWKS document) for `issuer`.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub async fn start(issuer: &str, keys: Value) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let keys = Arc::new(Mutex::new(keys));
        let fetches = Arc::new(AtomicUsize::new(0));
        let discovery = json!({
            "issuer": issuer,
            "jwks_uri": format!("http://{addr}/jwks.json"),
        });
        let served = Arc::clone(&keys);
        let counted = Arc::clone(&fetches);
        let router = Router::new()
            .route(
                "/jwks.json",
                get(move || {
                    counted.fetch_add(1, Ordering::SeqCst);
                    let keys = served.lock().unwrap().clone();
                    async move { Json(keys) }
                }),
            )
            .route(
                "/.well-known/openid-configuration",
                get(move || async move { Json(discovery) }),
            );
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            addr,
            keys,
            fetches,
            task,
        }
    }

    /// The JWKS URL.
    pub fn jwks_url(&self) -> String {
        format!("http://{}/jwks.json", self.addr)
    }

    /// The discovery document's URL.
    pub fn discovery_url(&self) -> String {
        format!("http://{}/.well-known/openid-configuration", self.addr)
    }

    /// Serves `keys` from now on.
    pub fn set_keys(&self, keys: Value) {
        *self.keys.lock().unwrap() = keys;
    }

    /// How many times the keys were fetched.
    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
