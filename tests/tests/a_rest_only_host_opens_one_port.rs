//! A REST-only hello-world host (the `api-gateway` and the `grpc-hub` linked, a REST module,
//! no gRPC service, no out-of-process module) listens on its REST port alone: the hub opens
//! no port unless its config says `listen: always`.
//!
//! The listening sockets are counted from `/proc`: the TCP sockets in state LISTEN whose
//! inode is one of this process's file descriptors. This binary holds one test, so no other
//! host runs in the process while it counts.

#![cfg(target_os = "linux")]

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use modkit::directory::DirectoryAccess;
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::{ClientHub, GrpcHubCapability, Module, ModuleCtx, OpenApiRegistry, RestApiCapability};
use modkit_tests::{ServedHost, register_grpc_hub};
use serde_json::{Value, json};

/// `GET /hello`.
#[derive(Debug)]
struct Hello;

#[modkit::async_trait]
impl Module for Hello {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl RestApiCapability for Hello {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        Ok(OperationBuilder::get("/hello")
            .operation_id("hello.get")
            .handler(|| async { "hello" })
            .text_response(StatusCode::OK, "A greeting")
            .register(router, openapi))
    }
}

/// The TCP ports this process listens on.
fn listening_ports() -> BTreeSet<u16> {
    let own_sockets: HashSet<u64> = std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd is readable")
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_str()?;
            target
                .strip_prefix("socket:[")?
                .strip_suffix(']')?
                .parse()
                .ok()
        })
        .collect();
    let mut ports = BTreeSet::new();
    for table in ["/proc/self/net/tcp", "/proc/self/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(&state), Some(inode)) =
                (fields.get(1), fields.get(3), fields.get(9))
            else {
                continue;
            };
            const LISTEN: &str = "0A";
            if state != LISTEN || !inode.parse().is_ok_and(|i| own_sockets.contains(&i)) {
                continue;
            }
            if let Some(port) = local.rsplit(':').next() {
                ports.insert(u16::from_str_radix(port, 16).expect("a hex port"));
            }
        }
    }
    ports
}

/// The host, with `hub` as the hub's config section.
async fn start(hub: Value) -> (ServedHost, Arc<modkit::grpc_hub::GrpcHub>, Arc<ClientHub>) {
    let mut builder = RegistryBuilder::default();
    let grpc_hub = register_grpc_hub(&mut builder);
    let hello = Arc::new(Hello);
    builder.register_core_with_meta("hello", &[], hello.clone());
    builder.register_rest_with_meta("hello", hello);
    let client_hub = Arc::new(ClientHub::new());
    let modules = json!({ "grpc-hub": { "config": hub } });
    let host = ServedHost::start_with_hub(builder, modules, Arc::clone(&client_hub)).await;
    (host, grpc_hub, client_hub)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_listens_only_when_told_to() {
    assert!(listening_ports().is_empty(), "{:?}", listening_ports());

    let (host, hub, client_hub) = start(json!({ "bind_addr": "127.0.0.1:0" })).await;
    let response = host.get("/hello").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        listening_ports(),
        BTreeSet::from([host.addr().port()]),
        "only the REST port"
    );
    assert_eq!(hub.bound_endpoint(), None);
    assert!(client_hub.try_get::<DirectoryAccess>().is_none());
    host.shut_down().await.assert_ok();

    // The same host told to listen opens the hub's port too: the count sees it.
    let (host, hub, client_hub) =
        start(json!({ "bind_addr": "127.0.0.1:0", "listen": "always" })).await;
    let endpoint = hub.bound_endpoint().expect("the hub listens when told to");
    let ports = listening_ports();
    assert_eq!(ports.len(), 2, "{ports:?}");
    assert!(ports.contains(&host.addr().port()), "{ports:?}");
    assert!(
        ports
            .iter()
            .any(|port| endpoint.ends_with(&format!(":{port}"))),
        "{endpoint} in {ports:?}"
    );
    assert!(client_hub.try_get::<DirectoryAccess>().is_some());
    host.shut_down().await.assert_ok();
}
