//! The `users` module: REST CRUD of users on `/v1/users`, documented in OpenAPI, stored
//! behind [`UsersRepository`] (in memory for now); creating and deleting a user is
//! recorded through the `audit` client.
//!
//! | operation | answer |
//! |---|---|
//! | `GET /v1/users?limit=&offset=` | 200 [`UserPage`] |
//! | `GET /v1/users/{id}` | 200 [`User`], 404 |
//! | `POST /v1/users` [`NewUser`] | 201 [`User`] with `Location`, 422 naming the field |
//! | `PUT /v1/users/{id}` [`NewUser`] | 200 [`User`], 404, 422 |
//! | `DELETE /v1/users/{id}` | 204, 404 |

mod model;
mod repository;
mod rest;

use std::sync::{Arc, OnceLock};

use axum::Router;
use modkit::{Module, ModuleCtx, OpenApiRegistry, RestApiCapability};

pub use model::{Invalid, NewUser, Page, User, UserPage};
pub use repository::{InMemoryUsersRepository, UsersRepository};

use crate::audit::AuditApi;

/// What the handlers share.
#[derive(Debug)]
struct Service {
    repository: Arc<dyn UsersRepository>,
    audit: Arc<dyn AuditApi>,
}

/// The module.
#[derive(Debug, Default)]
#[modkit::module(name = "users", deps = ["audit"], capabilities = [rest])]
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
        let repository = self
            .repository
            .get_or_init(|| Arc::new(InMemoryUsersRepository::default()))
            .clone();
        let _ = self.service.set(Arc::new(Service { repository, audit }));
        Ok(())
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
