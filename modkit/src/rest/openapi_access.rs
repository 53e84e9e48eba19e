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
/// bearer scheme with its scopes, and the 401 (and with scopes 403) problem answers.
pub(super) fn document_access(
    operation: &mut Operation,
    access: &Access,
    schemas: &mut Vec<(String, RefOr<Schema>)>,
) {
    let scopes = match access {
        Access::Public => {
            operation.security = Some(Vec::new());
            return;
        }
        Access::Authenticated(scopes) => scopes,
    };
    operation.security = Some(vec![SecurityRequirement::new(
        BEARER_SCHEME,
        scopes.clone(),
    )]);
    let problem = describe::<Problem>(schemas);
    let mut answers = vec![("401", "No valid bearer token (`WWW-Authenticate` says why)")];
    if !scopes.is_empty() {
        answers.push(("403", "The token lacks a required scope"));
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
