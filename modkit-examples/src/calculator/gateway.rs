use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use modkit::{Module, ModuleCtx, OpenApiRegistry, RestApiCapability};

use super::{CalculatorApi, CalculatorError};

/// The `calculator-gateway` module: the demo's REST face of the calculator,
/// `GET /v1/calc/add?a=2&b=3` → `{"result": 5}`.
///
/// It calls [`CalculatorApi`] from the ClientHub and does not know, or care, whether the
/// calculator runs in the host or in a child process.
#[derive(Debug, Default)]
#[modkit::module(name = "calculator-gateway", deps = ["calculator"], capabilities = [rest])]
pub struct CalculatorGateway;

#[modkit::async_trait]
impl Module for CalculatorGateway {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        // Fail start-up early if the calculator is missing, rather than on the first request.
        ctx.client_hub().get::<dyn CalculatorApi>()?;
        Ok(())
    }
}

impl RestApiCapability for CalculatorGateway {
    fn register_rest(
        &self,
        ctx: &ModuleCtx,
        router: Router,
        _openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        let calculator = ctx.client_hub().get::<dyn CalculatorApi>()?;
        let routes = Router::new()
            .route("/v1/calc/add", get(add))
            .with_state(calculator);
        Ok(router.merge(routes))
    }
}

/// The operands of `GET /v1/calc/add`.
#[derive(Debug, serde::Deserialize)]
struct AddQuery {
    a: i64,
    b: i64,
}

async fn add(
    State(calculator): State<Arc<dyn CalculatorApi>>,
    Query(AddQuery { a, b }): Query<AddQuery>,
) -> Response {
    match calculator.add(a, b).await {
        Ok(result) => Json(serde_json::json!({ "result": result })).into_response(),
        Err(error) => {
            let status = match error {
                CalculatorError::Overflow { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                CalculatorError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            };
            (
                status,
                Json(serde_json::json!({ "error": error.to_string() })),
            )
                .into_response()
        }
    }
}
