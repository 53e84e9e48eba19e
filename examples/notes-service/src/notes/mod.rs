//! The `notes` module: notes kept in the module's SQLite database, served over REST.
//!
//! | operation | answers |
//! |---|---|
//! | `GET /v1/notes?limit=&after=` | 200 [`NotePage`], 400 |
//! | `POST /v1/notes` [`NoteInput`] | 201 [`Note`] with `Location`, 409, 422 |
//! | `GET /v1/notes/{id}` | 200 [`Note`], 404 |
//! | `PUT /v1/notes/{id}` [`NoteInput`] | 200 [`Note`], 404, 409, 422 |
//! | `DELETE /v1/notes/{id}` | 204, 404 |

mod model;
mod rest;
mod store;

use std::sync::{Arc, OnceLock};

use modkit::axum::Router;
use modkit::{
    DatabaseCapability, Migration, Module, ModuleCtx, OpenApiRegistry, RestApiCapability, anyhow,
};

pub use model::{Note, NoteInput, NotePage};

use crate::stats::StatsApi;
use rest::Handlers;
use store::Store;

/// The module.
#[derive(Default)]
#[modkit::module(name = "notes", deps = ["stats"], capabilities = [db, rest])]
pub struct Notes {
    handlers: OnceLock<Handlers>,
}

impl DatabaseCapability for Notes {
    fn migrations(&self) -> Vec<Migration> {
        vec![Migration::sql(
            1,
            "create notes",
            "CREATE TABLE notes (
                id    INTEGER PRIMARY KEY,
                title TEXT NOT NULL UNIQUE,
                body  TEXT NOT NULL
            )",
        )]
    }
}

#[modkit::async_trait]
impl Module for Notes {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        // The db phase has applied the migrations by now.
        let pool = ctx.db_required()?.sqlite()?.clone();
        // `stats` is a dependency, so it has initialised and registered its client.
        let stats: Arc<dyn StatsApi> = ctx.client_hub().get::<dyn StatsApi>()?;
        let _ = self.handlers.set(Handlers {
            store: Store::new(pool),
            stats,
        });
        Ok(())
    }
}

impl RestApiCapability for Notes {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        let handlers = self
            .handlers
            .get()
            .ok_or_else(|| anyhow::anyhow!("`notes` registered its routes before its init"))?;
        Ok(router.merge(rest::routes(handlers.clone(), openapi)))
    }
}
