//! [`OperationBuilder`]: one route, added to the router and documented in one call.

mod path;
mod responses;
mod state;

use std::fmt;
use std::marker::PhantomData;

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, on};
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{
    ContentBuilder, RefOr, Required, path::OperationBuilder as DocumentedOperation,
};
use utoipa::{IntoParams, PartialSchema, ToSchema};

pub use path::PathError;
pub use state::{HasHandler, HasResponse, Missing, WithHandler, WithResponse};

use super::Access;
use super::openapi::{OpenApiDocument, OperationEntry};
use super::schema::{Components, describe};
use crate::contracts::OpenApiRegistry;

/// A typed builder for one REST operation: the route (method, path, handler) and its
/// OpenAPI description (operation id, summary, tags, parameters, request body, responses).
///
/// [`register`](Self::register) adds the route to the router and the operation to the REST
/// host's OpenAPI document in one call. It only exists once the builder has a
/// [`handler`](Self::handler) and at least one success response
/// ([`json_response`](Self::json_response), [`text_response`](Self::text_response),
/// [`html_response`](Self::html_response) or [`empty_response`](Self::empty_response)):
/// forgetting either is a compile error.
///
/// Schemas come from [`utoipa::ToSchema`]: a type of its own is a `$ref` to a component
/// under its utoipa name; a standard container (`Vec<T>`, slices, sets, `Option<T>`,
/// `HashMap<String, T>`, `Box<T>`, ...) is an inline schema whose items refer to `T`'s
/// component, registered under the name utoipa gives `T` by default (its Rust name, even if
/// `T` is renamed with `#[schema(as = ..)]`). Within a host, an operation id or a method and
/// path registered twice fails start-up, naming both modules, and so do two different
/// schemas under one name (`Page<Cat>` and `Page<Dog>` are both `Page` to utoipa), naming
/// the schema and both operations.
///
/// ```
/// use axum::{Json, Router, http::StatusCode};
/// use modkit::rest::{OpenApiDocument, OperationBuilder};
/// use modkit::OpenApiRegistry;
///
/// #[derive(serde::Serialize, utoipa::ToSchema)]
/// struct Greeting {
///     text: String,
/// }
///
/// let openapi = OpenApiDocument::new("demo", "1.0.0");
/// let router: Router = OperationBuilder::get("/v1/greeting")
///     .operation_id("greeting.get")
///     .summary("Say hello")
///     .tag("greeting")
///     .handler(|| async { Json(Greeting { text: "hello".into() }) })
///     .json_response::<Greeting>(StatusCode::OK, "The greeting")
///     .register(Router::new(), &openapi);
///
/// let document = openapi.render();
/// assert!(document.paths.paths.contains_key("/v1/greeting"));
/// # let _ = router;
/// ```
#[must_use = "an operation does nothing until `.register(router, openapi)` is called"]
pub struct OperationBuilder<H = Missing, R = Missing, S = ()> {
    method: Method,
    path: String,
    operation_id: Option<String>,
    operation: DocumentedOperation,
    schemas: Components,
    access: Access,
    route: H,
    _responses: PhantomData<R>,
    _state: PhantomData<fn() -> S>,
}

impl<S> OperationBuilder<Missing, Missing, S> {
    /// An operation answering `method` requests to `path` (axum 0.8 syntax: `/users/{id}`,
    /// `/files/{*rest}`, which is also OpenAPI's). A path axum cannot route, such as the
    /// axum 0.7 form `/users/:id`, fails start-up when the operation is registered, naming
    /// the module and the path to write instead.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            operation_id: None,
            operation: DocumentedOperation::new(),
            schemas: Vec::new(),
            access: Access::default(),
            route: Missing,
            _responses: PhantomData,
            _state: PhantomData,
        }
    }

    /// A `GET` operation.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A `POST` operation.
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// A `PUT` operation.
    pub fn put(path: impl Into<String>) -> Self {
        Self::new(Method::PUT, path)
    }

    /// A `PATCH` operation.
    pub fn patch(path: impl Into<String>) -> Self {
        Self::new(Method::PATCH, path)
    }

    /// A `DELETE` operation.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }
}

impl<H, R, S> OperationBuilder<H, R, S> {
    /// Sets the operation id (unique in the host; defaults to the method and path, such as
    /// `get_v1_users_id`).
    pub fn operation_id(mut self, operation_id: impl Into<String>) -> Self {
        self.operation_id = Some(operation_id.into());
        self
    }

    /// Sets the one-line summary.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.operation = self.operation.summary(Some(summary.into()));
        self
    }

    /// Sets the longer description (CommonMark).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.operation = self.operation.description(Some(description.into()));
        self
    }

    /// Adds a tag (operations are grouped by tag in the docs page).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.operation = self.operation.tag(tag.into());
        self
    }

    /// Lets anyone call this operation, with or without a token, when the REST host
    /// authenticates callers (`modules.api-gateway.config.auth`); without this an operation
    /// needs a valid bearer token. A valid token sent anyway still reaches the handler as
    /// its [`SecurityContext`](crate::security::SecurityContext).
    ///
    /// ```
    /// use modkit::axum::{Router, http::StatusCode};
    /// use modkit::rest::{OpenApiDocument, OperationBuilder};
    ///
    /// let openapi = OpenApiDocument::new("demo", "1.0.0");
    /// let _router: Router = OperationBuilder::get("/v1/status")
    ///     .public()
    ///     .handler(|| async { "up" })
    ///     .text_response(StatusCode::OK, "Up")
    ///     .register(Router::new(), &openapi);
    /// ```
    pub fn public(mut self) -> Self {
        self.access = Access::Public;
        self
    }

    /// Requires the caller's token to carry every one of `scopes` (from its `scope` or
    /// `scp` claim): a valid token without one is answered 403 with an
    /// `insufficient_scope` challenge. Implies a token is needed (undoes [`public`](Self::public)).
    ///
    /// ```
    /// use modkit::axum::{Router, http::StatusCode};
    /// use modkit::rest::{OpenApiDocument, OperationBuilder};
    ///
    /// let openapi = OpenApiDocument::new("demo", "1.0.0");
    /// let _router: Router = OperationBuilder::delete("/v1/notes/{id}")
    ///     .require_scopes(["notes.write"])
    ///     .handler(|| async { StatusCode::NO_CONTENT })
    ///     .empty_response(StatusCode::NO_CONTENT, "Deleted")
    ///     .register(Router::new(), &openapi);
    /// ```
    pub fn require_scopes<I, T>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        if let Access::Authenticated {
            scopes: required, ..
        } = self.authenticated()
        {
            required.extend(scopes.into_iter().map(Into::into));
        }
        self
    }

    /// Requires the caller's token to carry every one of `roles` (from the claim
    /// `auth.jwt.roles_claim` names, `realm_access.roles` say): a valid token without one
    /// is answered 403 with an `insufficient_scope` challenge. Implies a token is needed
    /// (undoes [`public`](Self::public)). The OpenAPI document lists the roles in the
    /// operation's `security` requirement, beside its scopes.
    ///
    /// ```
    /// use modkit::axum::{Router, http::StatusCode};
    /// use modkit::rest::{OpenApiDocument, OperationBuilder};
    ///
    /// let openapi = OpenApiDocument::new("demo", "1.0.0");
    /// let _router: Router = OperationBuilder::delete("/v1/users/{id}")
    ///     .require_roles(["admin"])
    ///     .handler(|| async { StatusCode::NO_CONTENT })
    ///     .empty_response(StatusCode::NO_CONTENT, "Deleted")
    ///     .register(Router::new(), &openapi);
    /// ```
    pub fn require_roles<I, T>(mut self, roles: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        if let Access::Authenticated {
            roles: required, ..
        } = self.authenticated()
        {
            required.extend(roles.into_iter().map(Into::into));
        }
        self
    }

    /// The access, made to need a token if it was public.
    fn authenticated(&mut self) -> &mut Access {
        if self.access == Access::Public {
            self.access = Access::default();
        }
        &mut self.access
    }

    /// Documents the path parameter `name` (`{name}` in the path) of type `T`.
    pub fn path_param<T: PartialSchema>(
        self,
        name: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        self.parameter::<T>(
            name.into(),
            description.into(),
            ParameterIn::Path,
            Required::True,
        )
    }

    /// Documents the optional query parameter `name` of type `T`.
    pub fn query_param<T: PartialSchema>(
        self,
        name: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        self.parameter::<T>(
            name.into(),
            description.into(),
            ParameterIn::Query,
            Required::False,
        )
    }

    /// One documented parameter of type `T`.
    fn parameter<T: PartialSchema>(
        mut self,
        name: String,
        description: String,
        location: ParameterIn,
        required: Required,
    ) -> Self {
        self.operation = self.operation.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(location)
                .required(required)
                .description(Some(description))
                .schema(Some(T::schema())),
        );
        self
    }

    /// Documents every query parameter of `T` (a struct deriving [`utoipa::IntoParams`]).
    pub fn query_params<T: IntoParams>(self) -> Self {
        self.params::<T>(ParameterIn::Query)
    }

    /// Documents every path parameter of `T` (a struct deriving [`utoipa::IntoParams`];
    /// handy for types such as `Uuid` that the derive knows but
    /// [`path_param`](Self::path_param) cannot name).
    pub fn path_params<T: IntoParams>(self) -> Self {
        self.params::<T>(ParameterIn::Path)
    }

    fn params<T: IntoParams>(mut self, location: ParameterIn) -> Self {
        for parameter in T::into_params(|| Some(location.clone())) {
            self.operation = self.operation.parameter(parameter);
        }
        self
    }

    /// Documents a required JSON request body of schema `T`.
    pub fn json_request<T: ToSchema>(mut self, description: impl Into<String>) -> Self {
        let schema = self.schema_ref::<T>();
        self.operation = self.operation.request_body(Some(
            RequestBodyBuilder::new()
                .description(Some(description.into()))
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(schema)).build(),
                )
                .build(),
        ));
        self
    }

    /// Where `T` is used: a reference to its component or, for a standard container, an
    /// inline schema referring to its items' components; the components join the
    /// document's.
    fn schema_ref<T: ToSchema>(&mut self) -> RefOr<Schema> {
        describe::<T>(&mut self.schemas)
    }

    fn responded(self) -> OperationBuilder<H, WithResponse, S> {
        OperationBuilder {
            method: self.method,
            path: self.path,
            operation_id: self.operation_id,
            operation: self.operation,
            schemas: self.schemas,
            access: self.access,
            route: self.route,
            _responses: PhantomData,
            _state: PhantomData,
        }
    }
}

impl<R, S> OperationBuilder<Missing, R, S>
where
    S: Clone + Send + Sync + 'static,
{
    /// Sets the handler: any axum handler for state `S` (extractors in, `IntoResponse` out).
    pub fn handler<F, T>(self, handler: F) -> OperationBuilder<WithHandler<S>, R, S>
    where
        F: Handler<T, S>,
        T: 'static,
    {
        let method_router = on(method_filter(&self.method), handler);
        OperationBuilder {
            method: self.method,
            path: self.path,
            operation_id: self.operation_id,
            operation: self.operation,
            schemas: self.schemas,
            access: self.access,
            route: WithHandler(method_router),
            _responses: PhantomData,
            _state: PhantomData,
        }
    }
}

impl<H, R, S> OperationBuilder<H, R, S>
where
    S: Clone + Send + Sync + 'static,
{
    /// Adds the route to `router` and the operation to `openapi` (the REST host's registry,
    /// [`OpenApiDocument`]).
    ///
    /// If the operation id or the method and path is already taken, the route is left out
    /// and the conflict recorded; the REST host then fails start-up naming both modules.
    /// A path axum's router cannot take (written the axum 0.7 way, `/notes/:id` or
    /// `/files/*rest`, say) is left out too, and start-up fails naming the module, the path
    /// and the one to write (`/notes/{id}`, `/files/{*rest}`); see [`PathError`].
    /// Under a REST host with another kind of registry, the route is added undocumented (and
    /// a path axum cannot take is left out with an error in the log).
    pub fn register(self, router: Router<S>, openapi: &dyn OpenApiRegistry) -> Router<S>
    where
        H: HasHandler<S>,
        R: HasResponse,
    {
        let operation_id = self
            .operation_id
            .unwrap_or_else(|| default_operation_id(&self.method, &self.path));
        let method_router = self.route.into_method_router();
        let document = openapi.as_any().downcast_ref::<OpenApiDocument>();
        if let Err(error) = path::check_path(&self.path) {
            // axum would panic on this path: leave the route out and let the REST host
            // fail start-up naming the module and the path to write instead.
            match document {
                Some(document) => document.refuse_path(&self.method, &operation_id, error),
                None => tracing::error!(%error, operation_id, "route left out"),
            }
            return router;
        }
        let Some(document) = document else {
            return router.route(&self.path, method_router);
        };
        let entry = OperationEntry {
            method: self.method,
            path: self.path.clone(),
            operation_id: operation_id.clone(),
            operation: self.operation.operation_id(Some(operation_id)).build(),
            schemas: self.schemas,
            access: self.access,
        };
        match document.add(entry) {
            Ok(()) => router.route(&self.path, method_router),
            Err(conflict) => {
                tracing::error!(%conflict, "route left out");
                router
            }
        }
    }
}

impl<H, R, S> fmt::Debug for OperationBuilder<H, R, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationBuilder")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("operation_id", &self.operation_id)
            .finish_non_exhaustive()
    }
}

fn method_filter(method: &Method) -> MethodFilter {
    match *method {
        Method::POST => MethodFilter::POST,
        Method::PUT => MethodFilter::PUT,
        Method::PATCH => MethodFilter::PATCH,
        Method::DELETE => MethodFilter::DELETE,
        Method::HEAD => MethodFilter::HEAD,
        Method::OPTIONS => MethodFilter::OPTIONS,
        Method::TRACE => MethodFilter::TRACE,
        _ => MethodFilter::GET,
    }
}

/// `get_v1_users_id` for `GET /v1/users/{id}`.
fn default_operation_id(method: &Method, path: &str) -> String {
    let mut id = method.as_str().to_ascii_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        id.extend(
            segment
                .chars()
                .filter(|c| !matches!(c, '{' | '}'))
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
        );
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_operation_id_comes_from_method_and_path() {
        assert_eq!(
            default_operation_id(&Method::GET, "/v1/users/{id}"),
            "get_v1_users_id"
        );
        assert_eq!(default_operation_id(&Method::POST, "/"), "post");
    }
}
