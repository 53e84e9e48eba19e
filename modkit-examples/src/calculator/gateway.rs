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
                "`a` or `b` is out of range",
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

/// `GET /v1/calc/add`'s operands: each within ±2^62, so that their sum always fits in
/// 64 bits. The calculator itself takes any `i64` and refuses a sum that overflows, but
/// OpenAPI cannot state a bound on a sum, only on each operand; bounding the operands
/// keeps the document exactly as strict as the endpoint.
#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AddQuery {
    /// The first operand, -2^62 to 2^62 - 1.
    #[param(minimum = -4_611_686_018_427_387_904_i64, maximum = 4_611_686_018_427_387_903_i64)]
    a: i64,
    /// The second operand, -2^62 to 2^62 - 1.
    #[param(minimum = -4_611_686_018_427_387_904_i64, maximum = 4_611_686_018_427_387_903_i64)]
    b: i64,
}

/// The smallest operand.
const MIN_OPERAND: i64 = -(1 << 62);
/// The largest operand.
const MAX_OPERAND: i64 = (1 << 62) - 1;

impl AddQuery {
    /// The first operand out of range, if any.
    fn out_of_range(&self) -> Option<&'static str> {
        [("a", self.a), ("b", self.b)]
            .into_iter()
            .find(|(_, value)| !(MIN_OPERAND..=MAX_OPERAND).contains(value))
            .map(|(field, _)| field)
    }
}

/// `GET /v1/calc/add`'s answer.
#[derive(Debug, serde::Serialize, ToSchema)]
struct Sum {
    /// `a + b`.
    result: i64,
}

async fn add(
    State(calculator): State<Arc<dyn CalculatorApi>>,
    Query(operands): Query<AddQuery>,
) -> Result<Json<Sum>, Problem> {
    if let Some(field) = operands.out_of_range() {
        return Err(Problem::invalid_field(
            field,
            format!("must be between {MIN_OPERAND} and {MAX_OPERAND}"),
        ));
    }
    match calculator.add(operands.a, operands.b).await {
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

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::ParameterIn;

    use super::*;

    #[test]
    fn the_documented_operand_bounds_are_the_checked_ones_and_any_sum_of_them_fits() {
        let parameters =
            serde_json::to_value(AddQuery::into_params(|| Some(ParameterIn::Query))).unwrap();
        for parameter in parameters.as_array().unwrap() {
            assert_eq!(parameter["schema"]["minimum"], MIN_OPERAND, "{parameter}");
            assert_eq!(parameter["schema"]["maximum"], MAX_OPERAND, "{parameter}");
        }
        assert!(MIN_OPERAND.checked_add(MIN_OPERAND).is_some());
        assert!(MAX_OPERAND.checked_add(MAX_OPERAND).is_some());
        let out_of_range = |a, b| AddQuery { a, b }.out_of_range();
        assert_eq!(out_of_range(MIN_OPERAND, MAX_OPERAND), None);
        assert_eq!(out_of_range(MAX_OPERAND + 1, 0), Some("a"));
        assert_eq!(out_of_range(0, MIN_OPERAND - 1), Some("b"));
    }
}
