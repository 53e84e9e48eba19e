//! `/v1/notes` and `/v1/notes/{id}`: the routes, their handlers and their OpenAPI
//! description.

use std::sync::Arc;

use modkit::axum::extract::{Path, Query, State};
use modkit::axum::http::{StatusCode, header};
use modkit::axum::{Json, Router};
use modkit::db::sqlx;
use modkit::rest::{OperationBuilder, Problem};
use modkit::{OpenApiRegistry, tracing};

use super::model::{Note, NoteInput, NotePage, NotePath, Page};
use super::store::Store;
use crate::stats::{NoteEvent, StatsApi};

/// What the handlers share: the router's state.
#[derive(Clone)]
pub struct Handlers {
    pub store: Store,
    pub stats: Arc<dyn StatsApi>,
}

/// The five operations, each added to the router and to the OpenAPI document.
pub fn routes(handlers: Handlers, openapi: &dyn OpenApiRegistry) -> Router {
    let router = Router::new();
    let router = OperationBuilder::get("/v1/notes")
        .operation_id("notes.list")
        .summary("List notes")
        .tag("notes")
        .query_params::<Page>()
        .handler(list)
        .json_response::<NotePage>(StatusCode::OK, "A page of notes")
        .problem_response(StatusCode::BAD_REQUEST, "A query parameter is invalid")
        .register(router, openapi);
    let router = OperationBuilder::post("/v1/notes")
        .operation_id("notes.create")
        .summary("Create a note")
        .tag("notes")
        .json_request::<NoteInput>("The new note")
        .handler(create)
        .json_response::<Note>(StatusCode::CREATED, "The note; `Location` names it")
        .problem_response(StatusCode::CONFLICT, "The title is taken")
        .problem_response(StatusCode::UNPROCESSABLE_ENTITY, "The title is invalid")
        .register(router, openapi);
    let router = OperationBuilder::get("/v1/notes/{id}")
        .operation_id("notes.get")
        .summary("Get a note")
        .tag("notes")
        .path_params::<NotePath>()
        .handler(get)
        .json_response::<Note>(StatusCode::OK, "The note")
        .problem_response(StatusCode::NOT_FOUND, "No such note")
        .register(router, openapi);
    let router = OperationBuilder::put("/v1/notes/{id}")
        .operation_id("notes.update")
        .summary("Replace a note")
        .tag("notes")
        .path_params::<NotePath>()
        .json_request::<NoteInput>("The note's new title and body")
        .handler(update)
        .json_response::<Note>(StatusCode::OK, "The note")
        .problem_response(StatusCode::NOT_FOUND, "No such note")
        .problem_response(StatusCode::CONFLICT, "The title is taken")
        .problem_response(StatusCode::UNPROCESSABLE_ENTITY, "The title is invalid")
        .register(router, openapi);
    let router = OperationBuilder::delete("/v1/notes/{id}")
        .operation_id("notes.delete")
        .summary("Delete a note")
        .tag("notes")
        .path_params::<NotePath>()
        .handler(delete)
        .empty_response(StatusCode::NO_CONTENT, "Deleted")
        .problem_response(StatusCode::NOT_FOUND, "No such note")
        .register(router, openapi);
    router.with_state(handlers)
}

async fn list(
    State(handlers): State<Handlers>,
    Query(page): Query<Page>,
) -> Result<Json<NotePage>, Problem> {
    let limit = page.limit()?;
    let items = handlers
        .store
        .list(page.after.unwrap_or(0), limit)
        .await
        .map_err(internal)?;
    let full = items.len() == limit as usize;
    let next_after = items.last().filter(|_| full).map(|note| note.id);
    Ok(Json(NotePage { items, next_after }))
}

async fn create(
    State(handlers): State<Handlers>,
    Json(input): Json<NoteInput>,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Json<Note>), Problem> {
    let input = input.checked()?;
    let title = input.title.clone();
    let note = handlers
        .store
        .insert(input)
        .await
        .map_err(|error| conflict_or_internal(error, &title))?;
    handlers.stats.record(NoteEvent::Created);
    let location = format!("/v1/notes/{}", note.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(note),
    ))
}

async fn get(
    State(handlers): State<Handlers>,
    Path(path): Path<NotePath>,
) -> Result<Json<Note>, Problem> {
    match handlers.store.get(path.id).await.map_err(internal)? {
        Some(note) => Ok(Json(note)),
        None => Err(not_found(path.id)),
    }
}

async fn update(
    State(handlers): State<Handlers>,
    Path(path): Path<NotePath>,
    Json(input): Json<NoteInput>,
) -> Result<Json<Note>, Problem> {
    let input = input.checked()?;
    let title = input.title.clone();
    let updated = handlers
        .store
        .update(path.id, input)
        .await
        .map_err(|error| conflict_or_internal(error, &title))?;
    let note = updated.ok_or_else(|| not_found(path.id))?;
    handlers.stats.record(NoteEvent::Updated);
    Ok(Json(note))
}

async fn delete(
    State(handlers): State<Handlers>,
    Path(path): Path<NotePath>,
) -> Result<StatusCode, Problem> {
    if !handlers.store.delete(path.id).await.map_err(internal)? {
        return Err(not_found(path.id));
    }
    handlers.stats.record(NoteEvent::Deleted);
    Ok(StatusCode::NO_CONTENT)
}

fn not_found(id: i64) -> Problem {
    Problem::not_found(format!("there is no note {id}"))
}

/// A taken title is the client's mistake (409); anything else is ours.
fn conflict_or_internal(error: sqlx::Error, title: &str) -> Problem {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            Problem::conflict(format!("there is a note titled `{title}` already"))
        }
        _ => internal(error),
    }
}

/// Logged with the request's span; the client sees a bare 500.
fn internal(error: sqlx::Error) -> Problem {
    tracing::error!(%error, "notes storage failed");
    Problem::internal()
}
