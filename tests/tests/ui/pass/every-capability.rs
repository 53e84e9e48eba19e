//! Every capability keyword, each trait implemented by hand, registered on one instance.
//! `grpc_hub` is the keyword of the built-in `grpc-hub` module, which `modkit` declares with
//! `#[modkit::module]` (a host has at most one hub), so it is checked on that module.

use axum::Router;
use modkit::registry::{
    ApiGatewayCap, DatabaseCap, GrpcHubCap, GrpcServiceCap, RestApiCap, RunnableCap, SystemCap,
};
use modkit::{
    ApiGatewayCapability, CancellationToken, DatabaseCapability, GrpcServiceCapability, Migration, Module, ModuleCtx, ModuleRegistry, OpenApiRegistry,
    RegisterGrpcServiceFn, RestApiCapability, RunnableCapability, SystemCapability,
};

#[derive(Default)]
#[modkit::module(
    name = "everything",
    capabilities = [db, rest, rest_host, stateful, system, grpc],
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

impl OpenApiRegistry for Everything {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl ApiGatewayCapability for Everything {
    fn rest_prepare(&self, _ctx: &ModuleCtx, router: Router) -> anyhow::Result<Router> {
        Ok(router)
    }

    fn rest_finalize(&self, _ctx: &ModuleCtx, router: Router) -> anyhow::Result<Router> {
        Ok(router)
    }

    fn as_registry(&self) -> &dyn OpenApiRegistry {
        self
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

fn main() {
    let registry = ModuleRegistry::discover_and_build().expect("the registry builds");
    let caps = registry
        .get_module("everything")
        .expect("registered")
        .caps();
    assert!(caps.has::<DatabaseCap>());
    assert!(caps.has::<RestApiCap>());
    assert!(caps.has::<ApiGatewayCap>());
    assert!(caps.has::<RunnableCap>());
    assert!(caps.has::<SystemCap>());
    assert!(!caps.has::<GrpcHubCap>());
    assert!(caps.has::<GrpcServiceCap>());
    let hub = registry.get_module("grpc-hub").expect("built in").caps();
    assert!(hub.has::<GrpcHubCap>() && hub.has::<SystemCap>() && hub.has::<RunnableCap>());
    assert_eq!(registry.grpc_hub.as_deref(), Some("grpc-hub"));
    let migrations = caps.query::<DatabaseCap>().expect("db").migrations();
    assert_eq!(migrations.len(), 1);
}
