//! `/openapi.json` and the docs page at `/docs` (Swagger UI, bundled into the binary: no
//! CDN, works offline).

use axum::Router;
use utoipa::openapi::OpenApi;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// The path of the OpenAPI document.
pub(crate) const OPENAPI_PATH: &str = "/openapi.json";
/// The path of the docs page.
pub(crate) const DOCS_PATH: &str = "/docs";

pub(super) fn routes(document: OpenApi) -> Router {
    let config = Config::new([OPENAPI_PATH])
        .display_operation_id(true)
        .try_it_out_enabled(true);
    Router::from(
        SwaggerUi::new(DOCS_PATH)
            .url(OPENAPI_PATH, document)
            .config(config),
    )
}
