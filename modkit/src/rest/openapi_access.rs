//! What the OpenAPI document says about who may call an operation: the bearer scheme, each
//! operation's `security` and its 401 and 403 answers.

use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};

use super::access::Access;
use super::problem::{PROBLEM_CONTENT_TYPE, Problem};
use super::schema::describe;

/// The name of the bearer-token security scheme in the document's components.
pub(crate) const BEARER_SCHEME: &str = "bearerAuth";

/// Documents who may call `operation`: `security: []` for a public one; otherwise the
/// bearer scheme with its scopes and roles (OpenAPI 3.1 lets a requirement list roles), and
/// the 401 (and with scopes or roles 403) problem answers.
pub(super) fn document_access(
    operation: &mut Operation,
    access: &Access,
    schemas: &mut Vec<(String, RefOr<Schema>)>,
) {
    let (scopes, roles) = match access {
        Access::Public => {
            operation.security = Some(Vec::new());
            return;
        }
        Access::Authenticated { scopes, roles } => (scopes, roles),
    };
    operation.security = Some(vec![SecurityRequirement::new(
        BEARER_SCHEME,
        scopes.iter().chain(roles),
    )]);
    let problem = describe::<Problem>(schemas);
    let mut answers = vec![("401", "No valid bearer token (`WWW-Authenticate` says why)")];
    if !scopes.is_empty() || !roles.is_empty() {
        answers.push(("403", "The token lacks a required scope or role"));
    }
    for (status, description) in answers {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            PROBLEM_CONTENT_TYPE,
                            ContentBuilder::new().schema(Some(problem.clone())).build(),
                        )
                        .build(),
                )
            });
    }
}
