use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::{Json, Router};
use modkit::rest::{OperationBuilder, Problem};
use modkit::{Module, ModuleCtx, OpenApiRegistry, RestApiCapability};
use utoipa::{IntoParams, ToSchema};

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
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        let calculator = ctx.client_hub().get::<dyn CalculatorApi>()?;
        let routes = OperationBuilder::get("/v1/calc/add")
            .operation_id("calc.add")
            .summary("Add two integers")
            .description("Answered by the `calculator` module, in this process or in a child.")
            .tag("calculator")
            .query_params::<AddQuery>()
            .handler(add)
            .json_response::<Sum>(StatusCode::OK, "The sum")
            .problem_response(
                StatusCode::BAD_REQUEST,
                "`a` or `b` is missing or not an integer",
            )
            .problem_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The sum does not fit in a 64-bit integer",
            )
            .problem_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "The calculator's child process cannot be reached",
            )
            .problem_response(
                StatusCode::GATEWAY_TIMEOUT,
                "The calculator's child process did not answer within its call deadline",
            )
            .register(Router::new(), openapi)
            .with_state(calculator);
        Ok(router.merge(routes))
    }
}

/// `GET /v1/calc/add`'s operands.
#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AddQuery {
    /// The first operand.
    a: i64,
    /// The second operand.
    b: i64,
}

/// `GET /v1/calc/add`'s answer.
#[derive(Debug, serde::Serialize, ToSchema)]
struct Sum {
    /// `a + b`.
    result: i64,
}

async fn add(
    State(calculator): State<Arc<dyn CalculatorApi>>,
    Query(AddQuery { a, b }): Query<AddQuery>,
) -> Result<Json<Sum>, Problem> {
    match calculator.add(a, b).await {
        Ok(result) => Ok(Json(Sum { result })),
        Err(error @ CalculatorError::Overflow { .. }) => {
            Err(Problem::from_status(StatusCode::UNPROCESSABLE_ENTITY)
                .with_detail(error.to_string()))
        }
        Err(CalculatorError::Unavailable { reason }) => {
            // The reason is a transport error: logged, not shown.
            tracing::warn!(%reason, "the calculator is unavailable");
            Err(Problem::from_status(StatusCode::SERVICE_UNAVAILABLE)
                .with_detail("the calculator is unavailable; try again shortly"))
        }
        Err(error @ CalculatorError::DeadlineExceeded { .. }) => {
            tracing::warn!(%error, "the calculator did not answer in time");
            Err(Problem::from_status(StatusCode::GATEWAY_TIMEOUT)
                .with_detail("the calculator did not answer in time; try again shortly"))
        }
    }
}
