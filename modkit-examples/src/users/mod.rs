//! The `users` module: REST CRUD of users on `/v1/users`, documented in OpenAPI, stored
//! behind [`UsersRepository`]: in the module's database when the host gives it one (the
//! demo host does: an SQLite file by default, PostgreSQL when `modules.users.database`
//! says so; data survives a restart), else in memory. Creating and deleting a user is
//! recorded through the `audit` client.
//!
//! | operation | answer |
//! |---|---|
//! | `GET /v1/users?limit=&cursor=&count=` | 200 [`UserPage`], 400, 422 naming the parameter |
//! | `GET /v1/users/{id}` | 200 [`User`], 400, 404 |
//! | `POST /v1/users` [`NewUser`] | 201 [`User`] with `Location`, 400, 413, 415, 422 naming the field |
//! | `PUT /v1/users/{id}` [`NewUser`] | 200 [`User`], 400, 404, 413, 415, 422 |
//! | `DELETE /v1/users/{id}` | 204, 400, 404 |
//!
//! Every operation may also answer 500 when the store fails. Listing is by pages of at
//! most [`MAX_PAGE`] users, each naming the `cursor` of the next ([`Page`], [`UserPage`]).

mod migrations;
mod model;
mod page;
mod postgres_repository;
mod repository;
mod rest;
mod sqlite_repository;

use std::sync::{Arc, OnceLock};

use axum::Router;
use modkit::db::{DbPool, DbProvider};
use modkit::{
    DatabaseCapability, Migration, Module, ModuleCtx, OpenApiRegistry, RestApiCapability,
};

pub use model::{Invalid, NewUser, User};
pub use page::{Cursor, DEFAULT_PAGE, MAX_PAGE, Page, PageRequest, UserPage};
pub use postgres_repository::PostgresUsersRepository;
pub use repository::{InMemoryUsersRepository, Listing, UsersRepository};
pub use sqlite_repository::SqliteUsersRepository;

use crate::audit::AuditApi;

/// What the handlers share.
#[derive(Debug)]
struct Service {
    repository: Arc<dyn UsersRepository>,
    audit: Arc<dyn AuditApi>,
}

/// The module.
#[derive(Debug, Default)]
#[modkit::module(name = "users", deps = ["audit"], capabilities = [rest, db])]
pub struct Users {
    repository: OnceLock<Arc<dyn UsersRepository>>,
    service: OnceLock<Arc<Service>>,
}

impl Users {
    /// A `users` module keeping its users in `repository` (the default keeps them in
    /// memory).
    pub fn with_repository(repository: Arc<dyn UsersRepository>) -> Self {
        let users = Self::default();
        let _ = users.repository.set(repository);
        users
    }
}

#[modkit::async_trait]
impl Module for Users {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        let audit = ctx.client_hub().get::<dyn AuditApi>()?;
        let repository = match self.repository.get() {
            Some(repository) => Arc::clone(repository),
            None => {
                let repository = match ctx.db() {
                    Some(db) => repository_in(&db)?,
                    None => Arc::new(InMemoryUsersRepository::default()),
                };
                Arc::clone(self.repository.get_or_init(|| repository))
            }
        };
        let _ = self.service.set(Arc::new(Service { repository, audit }));
        Ok(())
    }
}

/// The repository for the engine `db` is on.
fn repository_in(db: &DbProvider) -> anyhow::Result<Arc<dyn UsersRepository>> {
    Ok(match db.pool() {
        DbPool::Sqlite(pool) => Arc::new(SqliteUsersRepository::new(pool.clone())),
        DbPool::Postgres(pool) => Arc::new(PostgresUsersRepository::new(pool.clone())),
        other => anyhow::bail!(
            "`users` cannot keep users on {} (database {})",
            other.backend(),
            db.target()
        ),
    })
}

impl DatabaseCapability for Users {
    fn migrations(&self) -> Vec<Migration> {
        migrations::migrations()
    }
}

impl RestApiCapability for Users {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        let service = self
            .service
            .get()
            .ok_or_else(|| anyhow::anyhow!("`users` registered its routes before its init"))?;
        Ok(router.merge(rest::routes(Arc::clone(service), openapi)))
    }
}
