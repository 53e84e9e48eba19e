//! `rest_host` registers the module as the REST host: next to the built-in `api-gateway`
//! (which linking `modkit` brings), discovery reports two REST hosts, naming both.

use axum::Router;
use modkit::{ApiGatewayCapability, Module, ModuleCtx, ModuleRegistry, OpenApiRegistry};

#[derive(Default)]
#[modkit::module(name = "my-gateway", capabilities = [rest_host])]
pub struct MyGateway;

#[modkit::async_trait]
impl Module for MyGateway {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl OpenApiRegistry for MyGateway {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl ApiGatewayCapability for MyGateway {
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

fn main() {
    let error = match ModuleRegistry::discover_and_build() {
        Ok(_) => panic!("two REST hosts were accepted"),
        Err(error) => error.to_string(),
    };
    assert!(error.contains("`rest_host`"), "{error}");
    assert!(error.contains("`my-gateway`"), "{error}");
    assert!(error.contains("`api-gateway`"), "{error}");
}
