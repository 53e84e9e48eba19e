//! Writing REST modules: [`OperationBuilder`] (a route and its OpenAPI description in one
//! typed call), [`Problem`] (RFC 9457 errors) and [`OpenApiDocument`] (the REST host's
//! registry of operations).
//!
//! A REST module implements [`RestApiCapability`] and registers
//! each operation through an `OperationBuilder` with the registry it is handed.

//!
//! Feature `rest` brings the capabilities' traits and the rest phase's driver; feature
//! `api-gateway` brings the rest.

mod capability;
mod phase;

#[cfg(feature = "api-gateway")]
mod access;
#[cfg(feature = "api-gateway")]
mod openapi;
#[cfg(feature = "api-gateway")]
mod openapi_access;
#[cfg(feature = "api-gateway")]
mod operation;
#[cfg(feature = "api-gateway")]
mod problem;
#[cfg(feature = "api-gateway")]
mod schema;

pub use capability::{ApiGatewayCapability, OpenApiRegistry, RestApiCapability};
pub(crate) use phase::RestPhase;

#[cfg(feature = "api-gateway")]
pub use access::{Access, AccessTable};
#[cfg(feature = "api-gateway")]
pub use openapi::{OpenApiDocument, RouteConflict};
#[cfg(feature = "api-gateway")]
pub use operation::{
    HasHandler, HasResponse, Missing, OperationBuilder, PathError, WithHandler, WithResponse,
};
#[cfg(feature = "api-gateway")]
pub use problem::{FieldError, PROBLEM_CONTENT_TYPE, Problem};

#[cfg(feature = "api-gateway")]
pub(crate) use problem::RenderedProblem;
