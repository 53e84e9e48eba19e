//! `/v1/users` and `/v1/users/{id}`: the handlers and their OpenAPI description.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use modkit::OpenApiRegistry;
use modkit::rest::{OperationBuilder, Problem};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::Service;
use super::model::{Invalid, NewUser, User};
use super::page::{Page, UserPage};

const TAG: &str = "users";

/// `/v1/users/{id}`'s path.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct UserPath {
    /// The user's id.
    id: Uuid,
}

/// Adds the five operations to `router`.
///
/// Each documents every status it answers, the extractors' included: 400 for a path,
/// query or body that does not parse, 413 for a body over the limit, 415 for a body that
/// is not `application/json`, 422 for a value the checks refuse.
pub(super) fn routes(service: Arc<Service>, openapi: &dyn OpenApiRegistry) -> Router {
    let router = Router::new();
    let router = OperationBuilder::get("/v1/users")
        .operation_id("users.list")
        .summary("List users")
        .description(
            "A page of users, oldest first. Pass the page's `next_cursor` as `cursor` for the \
             next one; `count=true` adds `total` (a full count, slower the more users there are).",
        )
        .tag(TAG)
        .query_params::<Page>()
        .handler(list)
        .json_response::<UserPage>(StatusCode::OK, "A page of users")
        .problem_response(
            StatusCode::BAD_REQUEST,
            "A query parameter does not parse, or is unknown",
        )
        .problem_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            "`limit` is out of range, or `cursor` is not one this API gave out",
        )
        .problem_response(StatusCode::INTERNAL_SERVER_ERROR, STORE_FAILED)
        .register(router, openapi);
    let router = OperationBuilder::get("/v1/users/{id}")
        .operation_id("users.get")
        .summary("Get a user")
        .tag(TAG)
        .path_params::<UserPath>()
        .handler(get)
        .json_response::<User>(StatusCode::OK, "The user")
        .problem_response(StatusCode::BAD_REQUEST, BAD_ID)
        .problem_response(StatusCode::NOT_FOUND, NO_SUCH_USER)
        .problem_response(StatusCode::INTERNAL_SERVER_ERROR, STORE_FAILED)
        .register(router, openapi);
    let router = OperationBuilder::post("/v1/users")
        .operation_id("users.create")
        .summary("Create a user")
        .tag(TAG)
        .json_request::<NewUser>("The new user")
        .handler(create)
        .json_response::<User>(StatusCode::CREATED, "The created user; `Location` names it")
        .problem_response(StatusCode::BAD_REQUEST, "The body is not JSON")
        .problem_response(StatusCode::PAYLOAD_TOO_LARGE, BODY_TOO_LARGE)
        .problem_response(StatusCode::UNSUPPORTED_MEDIA_TYPE, NOT_JSON)
        .problem_response(StatusCode::UNPROCESSABLE_ENTITY, INVALID_USER)
        .problem_response(StatusCode::INTERNAL_SERVER_ERROR, STORE_FAILED)
        .register(router, openapi);
    let router = OperationBuilder::put("/v1/users/{id}")
        .operation_id("users.update")
        .summary("Replace a user's name and email")
        .tag(TAG)
        .path_params::<UserPath>()
        .json_request::<NewUser>("The new name and email")
        .handler(update)
        .json_response::<User>(StatusCode::OK, "The updated user")
        .problem_response(
            StatusCode::BAD_REQUEST,
            "`id` is not a UUID, or the body is not JSON",
        )
        .problem_response(StatusCode::NOT_FOUND, NO_SUCH_USER)
        .problem_response(StatusCode::PAYLOAD_TOO_LARGE, BODY_TOO_LARGE)
        .problem_response(StatusCode::UNSUPPORTED_MEDIA_TYPE, NOT_JSON)
        .problem_response(StatusCode::UNPROCESSABLE_ENTITY, INVALID_USER)
        .problem_response(StatusCode::INTERNAL_SERVER_ERROR, STORE_FAILED)
        .register(router, openapi);
    let router = OperationBuilder::delete("/v1/users/{id}")
        .operation_id("users.delete")
        .summary("Delete a user")
        .tag(TAG)
        .path_params::<UserPath>()
        .handler(delete)
        .empty_response(StatusCode::NO_CONTENT, "Deleted")
        .problem_response(StatusCode::BAD_REQUEST, BAD_ID)
        .problem_response(StatusCode::NOT_FOUND, NO_SUCH_USER)
        .problem_response(StatusCode::INTERNAL_SERVER_ERROR, STORE_FAILED)
        .register(router, openapi);
    router.with_state(service)
}

const BAD_ID: &str = "`id` is not a UUID";
const NO_SUCH_USER: &str = "No such user";
const BODY_TOO_LARGE: &str = "The body is larger than the gateway's limit";
const NOT_JSON: &str = "The body is not `application/json`";
const INVALID_USER: &str = "A field is missing, or `name` or `email` is invalid";
const STORE_FAILED: &str = "The user store failed";

async fn list(
    State(service): State<Arc<Service>>,
    Query(page): Query<Page>,
) -> Result<Json<UserPage>, Problem> {
    let page = page.resolved().map_err(invalid)?;
    let listing = service
        .repository
        .list(page.after, page.limit)
        .await
        .map_err(internal)?;
    let total = if page.count {
        Some(service.repository.count().await.map_err(internal)?)
    } else {
        None
    };
    Ok(Json(UserPage {
        items: listing.users,
        next_cursor: listing.next.map(|cursor| cursor.to_string()),
        total,
    }))
}

async fn get(
    State(service): State<Arc<Service>>,
    Path(path): Path<UserPath>,
) -> Result<Json<User>, Problem> {
    match service.repository.get(path.id).await.map_err(internal)? {
        Some(user) => Ok(Json(user)),
        None => Err(not_found(path.id)),
    }
}

async fn create(
    State(service): State<Arc<Service>>,
    Json(new): Json<NewUser>,
) -> Result<Response, Problem> {
    let new = new.validated().map_err(invalid)?;
    let user = User {
        id: Uuid::new_v4(),
        name: new.name,
        email: new.email,
    };
    service
        .repository
        .insert(user.clone())
        .await
        .map_err(internal)?;
    service
        .audit
        .record("users", &format!("created user {}", user.id));
    let location = HeaderValue::try_from(format!("/v1/users/{}", user.id))
        .map_err(|error| internal(error.into()))?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(user),
    )
        .into_response())
}

async fn update(
    State(service): State<Arc<Service>>,
    Path(path): Path<UserPath>,
    Json(new): Json<NewUser>,
) -> Result<Json<User>, Problem> {
    let new = new.validated().map_err(invalid)?;
    let user = User {
        id: path.id,
        name: new.name,
        email: new.email,
    };
    if service
        .repository
        .update(user.clone())
        .await
        .map_err(internal)?
    {
        Ok(Json(user))
    } else {
        Err(not_found(path.id))
    }
}

async fn delete(
    State(service): State<Arc<Service>>,
    Path(path): Path<UserPath>,
) -> Result<StatusCode, Problem> {
    if service.repository.delete(path.id).await.map_err(internal)? {
        service
            .audit
            .record("users", &format!("deleted user {}", path.id));
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(path.id))
    }
}

fn invalid(error: Invalid) -> Problem {
    Problem::invalid_field(error.field, error.message)
}

fn not_found(id: Uuid) -> Problem {
    Problem::not_found(format!("there is no user `{id}`"))
}

fn internal(error: anyhow::Error) -> Problem {
    tracing::error!(error = format!("{error:#}"), "users storage failed");
    Problem::internal()
}
