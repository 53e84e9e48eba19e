//! Every capability keyword but `rest_host` and `grpc_hub`, each trait implemented by hand,
//! registered on one instance. Those two are the keywords of the built-in `api-gateway` and
//! `grpc-hub` modules (a host has at most one of each), so they are checked on those; see
//! also `rest-host.rs`.

use axum::Router;
use modkit::registry::{
    ApiGatewayCap, DatabaseCap, GrpcHubCap, GrpcServiceCap, HealthCap, RestApiCap, RunnableCap,
    SystemCap,
};
use modkit::{
    CancellationToken, DatabaseCapability, GrpcServiceCapability, Health, HealthCapability,
    Migration, Module, ModuleCtx, ModuleRegistry, OpenApiRegistry,
    RegisterGrpcServiceFn, RestApiCapability, RunnableCapability, SystemCapability,
};

#[derive(Default)]
#[modkit::module(
    name = "everything",
    capabilities = [db, rest, stateful, system, grpc, health],
)]
pub struct Everything;

#[modkit::async_trait]
impl Module for Everything {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl DatabaseCapability for Everything {
    fn migrations(&self) -> Vec<Migration> {
        vec![Migration::sql(1, "create", "CREATE TABLE t (id INTEGER)")]
    }
}

impl RestApiCapability for Everything {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        _openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        Ok(router)
    }
}

#[modkit::async_trait]
impl RunnableCapability for Everything {
    async fn start(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }

    async fn stop(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

impl SystemCapability for Everything {}

#[modkit::async_trait]
impl GrpcServiceCapability for Everything {
    async fn get_grpc_services(
        &self,
        _ctx: &ModuleCtx,
    ) -> anyhow::Result<Vec<RegisterGrpcServiceFn>> {
        Ok(Vec::new())
    }
}

#[modkit::async_trait]
impl HealthCapability for Everything {
    async fn check(&self, _ctx: &ModuleCtx) -> Health {
        Health::Up
    }
}

fn main() {
    let registry = ModuleRegistry::discover_and_build().expect("the registry builds");
    let caps = registry
        .get_module("everything")
        .expect("registered")
        .caps();
    assert!(caps.has::<DatabaseCap>());
    assert!(caps.has::<RestApiCap>());
    assert!(!caps.has::<ApiGatewayCap>());
    assert!(caps.has::<RunnableCap>());
    assert!(caps.has::<SystemCap>());
    assert!(!caps.has::<GrpcHubCap>());
    assert!(caps.has::<GrpcServiceCap>());
    assert!(caps.has::<HealthCap>());
    let gateway = registry.get_module("api-gateway").expect("built in").caps();
    assert!(gateway.has::<ApiGatewayCap>() && gateway.has::<SystemCap>());
    let hub = registry.get_module("grpc-hub").expect("built in").caps();
    assert!(hub.has::<GrpcHubCap>() && hub.has::<SystemCap>() && hub.has::<RunnableCap>());
    assert_eq!(registry.grpc_hub.as_deref(), Some("grpc-hub"));
    let migrations = caps.query::<DatabaseCap>().expect("db").migrations();
    assert_eq!(migrations.len(), 1);
}
