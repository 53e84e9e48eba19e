//! Writing REST modules: [`OperationBuilder`] (a route and its OpenAPI description in one
//! typed call), [`Problem`] (RFC 9457 errors) and [`OpenApiDocument`] (the REST host's
//! registry of operations).
//!
//! A REST module implements [`RestApiCapability`](crate::RestApiCapability) and registers
//! each operation through an `OperationBuilder` with the registry it is handed.

mod openapi;
mod operation;
mod problem;
mod schema;

pub use openapi::{OpenApiDocument, RouteConflict};
pub use operation::{
    HasHandler, HasResponse, Missing, OperationBuilder, PathError, WithHandler, WithResponse,
};
pub use problem::{FieldError, PROBLEM_CONTENT_TYPE, Problem};

pub(crate) use problem::RenderedProblem;
