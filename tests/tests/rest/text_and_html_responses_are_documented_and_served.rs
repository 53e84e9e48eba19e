//! `text_response` and `html_response` document a `text/plain` and a `text/html` answer
//! (a string schema, with its status and description) in the OpenAPI document, and the
//! routes they describe answer with those content types over real HTTP.

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Html;
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::{Module, ModuleCtx, OpenApiRegistry, RestApiCapability};
use modkit_tests::ServedHost;
use serde_json::{Value, json};

/// A REST module with a plain-text and an HTML operation.
#[derive(Debug)]
struct Pages;

#[modkit::async_trait]
impl Module for Pages {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl RestApiCapability for Pages {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        let router = OperationBuilder::get("/version")
            .operation_id("pages.version")
            .handler(|| async { "1.4.2" })
            .text_response(StatusCode::OK, "The version, as plain text")
            .register(router, openapi);
        Ok(OperationBuilder::get("/welcome")
            .operation_id("pages.welcome")
            .handler(|| async { (StatusCode::ACCEPTED, Html("<h1>Welcome</h1>")) })
            .html_response(StatusCode::ACCEPTED, "The welcome page")
            .register(router, openapi))
    }
}

async fn served() -> ServedHost {
    let mut builder = RegistryBuilder::default();
    let pages = Arc::new(Pages);
    builder.register_core_with_meta("pages", &[], pages.clone());
    builder.register_rest_with_meta("pages", pages);
    ServedHost::start(builder, json!({})).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_names_the_content_type_status_and_description() {
    let host = served().await;
    let document: Value = host.get("/openapi.json").await.json().await.unwrap();

    let version = &document["paths"]["/version"]["get"]["responses"];
    assert_eq!(
        version["200"],
        json!({
            "description": "The version, as plain text",
            "content": { "text/plain": { "schema": { "type": "string" } } },
        }),
        "{version}"
    );
    let welcome = &document["paths"]["/welcome"]["get"]["responses"];
    assert_eq!(
        welcome["202"],
        json!({
            "description": "The welcome page",
            "content": { "text/html": { "schema": { "type": "string" } } },
        }),
        "{welcome}"
    );
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_routes_answer_with_the_documented_content_types() {
    let host = served().await;
    for (path, status, content_type, body) in [
        ("/version", 200, "text/plain", "1.4.2"),
        ("/welcome", 202, "text/html", "<h1>Welcome</h1>"),
    ] {
        let response = host.get(path).await;
        assert_eq!(response.status().as_u16(), status, "{path}");
        let header = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            header.starts_with(content_type),
            "{path} answers `{header}`, documented as `{content_type}`"
        );
        assert_eq!(response.text().await.unwrap(), body, "{path}");
    }
    host.shut_down().await.assert_ok();
}
