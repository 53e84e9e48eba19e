use axum::Router;
use modkit::rest::{OpenApiDocument, OperationBuilder};

fn main() {
    let openapi = OpenApiDocument::default();
    let _router: Router = OperationBuilder::get("/v1/ping")
        .handler(|| async { "pong" })
        .register(Router::new(), &openapi);
}
