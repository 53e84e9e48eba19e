//! A route written the axum 0.7 way (`/v1/notes/:id`, `/files/*rest`) does not panic at
//! registration: start-up fails in the rest phase naming the module, the operation, the path
//! and the axum 0.8 form to write, and the other modules' routes are not the cause.

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::{Module, ModuleCtx, OpenApiRegistry, Phase, RestApiCapability};
use modkit_tests::{TestHost, error_chain, register_gateway, with_loopback_gateway};

/// A REST module adding `GET <path>` as operation `<id>`.
#[derive(Debug)]
struct Route {
    path: &'static str,
    id: &'static str,
}

#[modkit::async_trait]
impl Module for Route {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl RestApiCapability for Route {
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

async fn start_up_error(routes: &[(&'static str, &'static str, &'static str)]) -> String {
    let mut builder = RegistryBuilder::default();
    register_gateway(&mut builder);
    for &(name, path, id) in routes {
        let module = Arc::new(Route { path, id });
        builder.register_core_with_meta(name, &[], module.clone());
        builder.register_rest_with_meta(name, module);
    }
    let finished = TestHost::new(builder)
        .config(with_loopback_gateway(serde_json::json!({})))
        .run_expecting_failure()
        .await;
    let gateway = finished.report.module("api-gateway").unwrap();
    assert!(
        gateway
            .hooks
            .iter()
            .any(|hook| hook.phase == Phase::Rest && !hook.outcome.is_ok()),
        "the gateway's rest_finalize fails: {gateway:?}"
    );
    for &(name, _, _) in routes {
        let module = finished.report.module(name).unwrap();
        assert!(
            module
                .hooks
                .iter()
                .filter(|hook| hook.phase == Phase::Rest)
                .all(|hook| hook.outcome.is_ok()),
            "registering never panics, so `{name}`'s own rest hook succeeds: {module:?}"
        );
    }
    error_chain(finished.error())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_colon_capture_names_module_path_and_the_braced_form() {
    let error = start_up_error(&[
        ("fine", "/v1/fine/{id}", "fine.get"),
        ("notes", "/v1/notes/:id", "notes.get"),
    ])
    .await;
    assert!(
        error.contains(
            "`GET` operation `notes.get` of module `notes`: path `/v1/notes/:id` uses axum 0.7 \
             syntax (`:id`); write `/v1/notes/{id}`"
        ),
        "{error}"
    );
    assert!(!error.contains("fine"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_star_wildcard_names_module_path_and_the_braced_form() {
    let error = start_up_error(&[("files", "/files/*rest", "files.get")]).await;
    assert!(
        error.contains(
            "`GET` operation `files.get` of module `files`: path `/files/*rest` uses axum 0.7 \
             syntax (`*rest`); write `/files/{*rest}`"
        ),
        "{error}"
    );
}
