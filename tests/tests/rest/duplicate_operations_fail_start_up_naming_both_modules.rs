//! Two operations with the same operation id, or the same method and path, fail start-up
//! in the rest phase with an error naming both modules.

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::{Module, ModuleCtx, OpenApiRegistry, Phase, RestApiCapability};
use modkit_tests::{TestHost, error_chain, register_gateway, with_loopback_gateway};

/// A REST module adding `GET <path>` as operation `<id>`.
#[derive(Debug)]
struct Operation {
    path: &'static str,
    id: &'static str,
}

#[modkit::async_trait]
impl Module for Operation {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl RestApiCapability for Operation {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        Ok(OperationBuilder::get(self.path)
            .operation_id(self.id)
            .handler(|| async { "ok" })
            .empty_response(StatusCode::OK, "ok")
            .register(router, openapi))
    }
}

fn register(
    builder: &mut RegistryBuilder,
    name: &'static str,
    path: &'static str,
    id: &'static str,
) {
    let module = Arc::new(Operation { path, id });
    builder.register_core_with_meta(name, &[], module.clone());
    builder.register_rest_with_meta(name, module);
}

async fn start_up_error(operations: &[(&'static str, &'static str, &'static str)]) -> String {
    let mut builder = RegistryBuilder::default();
    register_gateway(&mut builder);
    for &(name, path, id) in operations {
        register(&mut builder, name, path, id);
    }
    let finished = TestHost::new(builder)
        .config(with_loopback_gateway(serde_json::json!({})))
        .run_expecting_failure()
        .await;
    let gateway = finished.report.module("api-gateway").unwrap();
    let failed_in_rest = gateway
        .hooks
        .iter()
        .any(|hook| hook.phase == Phase::Rest && !hook.outcome.is_ok());
    assert!(
        failed_in_rest,
        "the gateway's rest_finalize fails: {gateway:?}"
    );
    error_chain(finished.error())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_operation_id_names_both_modules() {
    let error = start_up_error(&[
        ("alpha", "/alpha", "shared.op"),
        ("beta", "/beta", "shared.op"),
    ])
    .await;
    assert!(
        error.contains("operation id `shared.op` is registered by both `alpha` and `beta`"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_method_and_path_names_both_modules() {
    let error = start_up_error(&[
        ("alpha", "/things/{id}", "alpha.get"),
        ("beta", "/things/{thing_id}", "beta.get"),
    ])
    .await;
    assert!(
        error.contains("route `GET /things/{thing_id}` is registered by both `alpha` and `beta`"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_cannot_take_the_gateways_own_routes() {
    let error = start_up_error(&[("alpha", "/healthz", "alpha.health")]).await;
    assert!(
        error.contains("route `GET /healthz` is registered by both `api-gateway` and `alpha`"),
        "{error}"
    );
}
