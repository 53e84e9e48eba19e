use axum::Router;
use axum::http::StatusCode;
use modkit::rest::{OpenApiDocument, OperationBuilder};

fn main() {
    let openapi = OpenApiDocument::default();
    let _router: Router = OperationBuilder::get("/v1/ping")
        .json_response::<String>(StatusCode::OK, "pong")
        .register(Router::new(), &openapi);
}
