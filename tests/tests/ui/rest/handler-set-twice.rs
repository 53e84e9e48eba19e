use axum::Router;
use axum::http::StatusCode;
use modkit::rest::{OpenApiDocument, OperationBuilder};

fn main() {
    let openapi = OpenApiDocument::default();
    let _router: Router = OperationBuilder::get("/v1/ping")
        .handler(|| async { "pong" })
        .handler(|| async { "pong again" })
        .empty_response(StatusCode::OK, "pong")
        .register(Router::new(), &openapi);
}
