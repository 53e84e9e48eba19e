//! `/v1/users` and `/v1/users/{id}`: the handlers and their OpenAPI description.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use modkit::OpenApiRegistry;
use modkit::rest::{OperationBuilder, Problem};
use uuid::Uuid;

use super::Service;
use super::model::{Invalid, NewUser, Page, User, UserPage, UserPath};

const TAG: &str = "users";

/// Adds the five operations to `router`.
pub(super) fn routes(service: Arc<Service>, openapi: &dyn OpenApiRegistry) -> Router {
    let router = Router::new();
    let router = OperationBuilder::get("/v1/users")
        .operation_id("users.list")
        .summary("List users")
        .tag(TAG)
        .query_params::<Page>()
        .handler(list)
        .json_response::<UserPage>(StatusCode::OK, "A page of users")
        .problem_response(StatusCode::BAD_REQUEST, "A query parameter is not a number")
        .problem_response(StatusCode::UNPROCESSABLE_ENTITY, "`limit` is out of range")
        .register(router, openapi);
    let router = OperationBuilder::get("/v1/users/{id}")
        .operation_id("users.get")
        .summary("Get a user")
        .tag(TAG)
        .path_params::<UserPath>()
        .handler(get)
        .json_response::<User>(StatusCode::OK, "The user")
        .problem_response(StatusCode::NOT_FOUND, "No such user")
        .register(router, openapi);
    let router = OperationBuilder::post("/v1/users")
        .operation_id("users.create")
        .summary("Create a user")
        .tag(TAG)
        .json_request::<NewUser>("The new user")
        .handler(create)
        .json_response::<User>(StatusCode::CREATED, "The created user; `Location` names it")
        .problem_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            "`name` or `email` is invalid",
        )
        .register(router, openapi);
    let router = OperationBuilder::put("/v1/users/{id}")
        .operation_id("users.update")
        .summary("Replace a user's name and email")
        .tag(TAG)
        .path_params::<UserPath>()
        .json_request::<NewUser>("The new name and email")
        .handler(update)
        .json_response::<User>(StatusCode::OK, "The updated user")
        .problem_response(StatusCode::NOT_FOUND, "No such user")
        .problem_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            "`name` or `email` is invalid",
        )
        .register(router, openapi);
    let router = OperationBuilder::delete("/v1/users/{id}")
        .operation_id("users.delete")
        .summary("Delete a user")
        .tag(TAG)
        .path_params::<UserPath>()
        .handler(delete)
        .empty_response(StatusCode::NO_CONTENT, "Deleted")
        .problem_response(StatusCode::NOT_FOUND, "No such user")
        .register(router, openapi);
    router.with_state(service)
}

async fn list(
    State(service): State<Arc<Service>>,
    Query(page): Query<Page>,
) -> Result<Json<UserPage>, Problem> {
    let (limit, offset) = page.resolved().map_err(invalid)?;
    let (items, total) = service
        .repository
        .list(limit, offset)
        .await
        .map_err(internal)?;
    Ok(Json(UserPage {
        items,
        total,
        limit,
        offset,
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
