//! The OpenAPI document the REST host builds from every module's operations.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Mutex, MutexGuard};

use axum::http::Method;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Paths, RefOr};

use super::PathError;
use super::access::{Access, AccessTable};
use super::openapi_access::{BEARER_SCHEME, document_access};
use crate::contracts::OpenApiRegistry;
use crate::runtime::DescribedRoute;

/// An operation the REST host refuses to serve or document: two operations (of two modules,
/// or of one) claim the same operation id or route, or name two different schemas alike, or
/// one has a path axum's router cannot take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteConflict {
    /// Two operations share an operation id.
    #[error("operation id `{operation_id}` is registered by both `{first}` and `{second}`")]
    OperationId {
        /// The id.
        operation_id: String,
        /// The module that registered it first.
        first: &'static str,
        /// The module that registered it again.
        second: &'static str,
    },
    /// Two operations share a method and a path (path parameter names aside).
    #[error("route `{method} {path}` is registered by both `{first}` and `{second}`")]
    Route {
        /// The HTTP method.
        method: Method,
        /// The path, as the second module wrote it.
        path: String,
        /// The module that registered it first.
        first: &'static str,
        /// The module that registered it again.
        second: &'static str,
    },
    /// Two operations use two different schemas under one component name (utoipa names a
    /// generic type after the type alone: `Page<Cat>` and `Page<Dog>` are both `Page`).
    #[error(
        "schema `{name}` of operation `{second_operation}` (module `{second_module}`) differs \
         from the schema of that name of operation `{first_operation}` (module \
         `{first_module}`); give one of them its own name (`#[schema(as = ...)]` or a \
         type of its own)"
    )]
    Schema {
        /// The component name.
        name: String,
        /// The operation that registered the name first.
        first_operation: String,
        /// Its module.
        first_module: &'static str,
        /// The operation that registered a different schema under it.
        second_operation: String,
        /// Its module.
        second_module: &'static str,
    },
    /// An operation's path cannot be routed (an axum 0.7 style `/notes/:id`, say); the
    /// message names the path to write instead.
    #[error("`{method}` operation `{operation_id}` of module `{module}`: {reason}")]
    Path {
        /// The operation's id.
        operation_id: String,
        /// The HTTP method.
        method: Method,
        /// The module that registered it.
        module: &'static str,
        /// What is wrong with the path, and the path to write.
        reason: Box<PathError>,
    },
}

/// One documented operation, as [`OperationBuilder`](super::OperationBuilder) hands it over.
pub(crate) struct OperationEntry {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) operation_id: String,
    pub(crate) operation: Operation,
    pub(crate) schemas: Vec<(String, RefOr<Schema>)>,
    pub(crate) access: Access,
}

/// The REST host's [`OpenApiRegistry`]: collects operations and their schemas, refuses
/// duplicate operation ids and routes, and renders the OpenAPI 3.1 document.
///
/// ```
/// use modkit::OpenApiRegistry;
/// use modkit::rest::OpenApiDocument;
///
/// let document = OpenApiDocument::new("my service", "1.0.0");
/// document.enter_module("users");
/// assert!(document.conflicts().is_empty());
/// let openapi = document.render();
/// assert_eq!(openapi.info.title, "my service");
/// ```
pub struct OpenApiDocument {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    title: String,
    version: String,
    module: &'static str,
    paths: Paths,
    schemas: BTreeMap<String, Component>,
    operation_ids: HashMap<String, &'static str>,
    routes: HashMap<(Method, String), &'static str>,
    /// Every claimed route in claim order, for [`OpenApiDocument::routes`].
    claimed: Vec<DescribedRoute>,
    conflicts: Vec<RouteConflict>,
    /// Whether the REST host authenticates callers (operations then document it).
    bearer_auth: bool,
    access: AccessTable,
}

/// A schema of the document's components, with the operation that registered it first.
struct Component {
    schema: RefOr<Schema>,
    operation_id: String,
    module: &'static str,
}

impl OpenApiDocument {
    /// An empty document titled `title`, at API version `version`.
    pub fn new(title: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            state: Mutex::new(State {
                title: title.into(),
                version: version.into(),
                module: "<unknown>",
                ..State::default()
            }),
        }
    }

    /// Sets the document's title and API version.
    pub fn set_info(&self, title: impl Into<String>, version: impl Into<String>) {
        let mut state = self.lock();
        state.title = title.into();
        state.version = version.into();
    }

    /// Claims `method path` for the module being registered, without documenting it;
    /// `false` (with the conflict recorded) if another claimed it first.
    pub fn claim_route(&self, method: &Method, path: &str) -> bool {
        let mut state = self.lock();
        let module = state.module;
        state.claim_route(module, method, path).is_ok()
    }

    /// Every route claimed so far, documented or not, in the order it was claimed, with
    /// the module that claimed it.
    pub fn routes(&self) -> Vec<DescribedRoute> {
        self.lock().claimed.clone()
    }

    /// Documents that the REST host authenticates callers with bearer tokens: the
    /// document gets a `bearerAuth` security scheme, and each operation added from now on
    /// its `security` (`[]` for public ones) and its 401 (and, with scopes, 403) answers.
    pub fn require_bearer_auth(&self) {
        self.lock().bearer_auth = true;
    }

    /// Every documented operation's [`Access`], by method and route.
    pub fn access_table(&self) -> AccessTable {
        self.lock().access.clone()
    }

    /// Every conflict recorded so far.
    pub fn conflicts(&self) -> Vec<RouteConflict> {
        self.lock().conflicts.clone()
    }

    /// The OpenAPI 3.1 document as of now.
    pub fn render(&self) -> OpenApi {
        let state = self.lock();
        let mut components = ComponentsBuilder::new();
        for (name, component) in &state.schemas {
            components = components.schema(name.clone(), component.schema.clone());
        }
        let mut security = None;
        if state.bearer_auth {
            components = components.security_scheme(
                BEARER_SCHEME,
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("JWT")
                        .build(),
                ),
            );
            security = Some([SecurityRequirement::new(
                BEARER_SCHEME,
                Vec::<String>::new(),
            )]);
        }
        OpenApiBuilder::new()
            .info(
                InfoBuilder::new()
                    .title(state.title.clone())
                    .version(state.version.clone()),
            )
            .paths(state.paths.clone())
            .components(Some(components.build()))
            .security(security)
            .build()
    }

    /// Adds a documented operation for the module being registered; a conflicting id or
    /// route is recorded and returned instead. A schema that differs from one already
    /// registered under its name is recorded as a conflict too, but leaves the operation in:
    /// its route is sound, and the conflict fails start-up all the same.
    pub(crate) fn add(&self, entry: OperationEntry) -> Result<(), RouteConflict> {
        let mut state = self.lock();
        let module = state.module;
        if let Some(&first) = state.operation_ids.get(&entry.operation_id) {
            let conflict = RouteConflict::OperationId {
                operation_id: entry.operation_id,
                first,
                second: module,
            };
            state.conflicts.push(conflict.clone());
            return Err(conflict);
        }
        state.claim_route(module, &entry.method, &entry.path)?;
        if let Some(route) = state.claimed.last_mut() {
            route.operation_id = Some(entry.operation_id.clone());
        }
        let mut operation = entry.operation;
        let mut schemas = entry.schemas;
        if state.bearer_auth {
            document_access(&mut operation, &entry.access, &mut schemas);
        }
        state
            .access
            .insert(entry.method.clone(), entry.path.clone(), entry.access);
        state.add_schemas(module, &entry.operation_id, schemas);
        state.operation_ids.insert(entry.operation_id, module);
        state
            .paths
            .add_path_operation(&entry.path, vec![http_method(&entry.method)], operation);
        Ok(())
    }

    /// Records that the module being registered gave operation `operation_id` a path the
    /// router cannot take; the REST host fails start-up with it.
    pub(crate) fn refuse_path(&self, method: &Method, operation_id: &str, error: PathError) {
        let mut state = self.lock();
        let conflict = RouteConflict::Path {
            operation_id: operation_id.to_owned(),
            method: method.clone(),
            module: state.module,
            reason: Box::new(error),
        };
        state.conflicts.push(conflict);
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every edit is a few inserts; a panic mid-edit leaves a usable document.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl State {
    /// Adds `operation_id`'s components; a name already taken by a different schema is a
    /// conflict (once per name and operation), an identical one is shared.
    fn add_schemas(
        &mut self,
        module: &'static str,
        operation_id: &str,
        schemas: Vec<(String, RefOr<Schema>)>,
    ) {
        for (name, schema) in schemas {
            let Some(first) = self.schemas.get(&name) else {
                let component = Component {
                    schema,
                    operation_id: operation_id.to_owned(),
                    module,
                };
                self.schemas.insert(name, component);
                continue;
            };
            if first.schema == schema {
                continue;
            }
            let conflict = RouteConflict::Schema {
                name,
                first_operation: first.operation_id.clone(),
                first_module: first.module,
                second_operation: operation_id.to_owned(),
                second_module: module,
            };
            if !self.conflicts.contains(&conflict) {
                self.conflicts.push(conflict);
            }
        }
    }

    fn claim_route(
        &mut self,
        module: &'static str,
        method: &Method,
        path: &str,
    ) -> Result<(), RouteConflict> {
        let key = (method.clone(), modkit_rules::route_shape(path));
        if let Some(&first) = self.routes.get(&key) {
            let conflict = RouteConflict::Route {
                method: method.clone(),
                path: path.to_owned(),
                first,
                second: module,
            };
            self.conflicts.push(conflict.clone());
            return Err(conflict);
        }
        self.routes.insert(key, module);
        self.claimed.push(DescribedRoute {
            module: module.to_owned(),
            method: method.as_str().to_owned(),
            path: path.to_owned(),
            operation_id: None,
        });
        Ok(())
    }
}

impl Default for OpenApiDocument {
    /// An empty document titled `modkit`, version `0.1.0`.
    fn default() -> Self {
        Self::new("modkit", "0.1.0")
    }
}

impl OpenApiRegistry for OpenApiDocument {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn enter_module(&self, module: &'static str) {
        self.lock().module = module;
    }

    fn described_routes(&self) -> Vec<DescribedRoute> {
        self.routes()
    }
}

impl fmt::Debug for OpenApiDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("OpenApiDocument")
            .field("title", &state.title)
            .field("operations", &state.operation_ids.len())
            .field("conflicts", &state.conflicts)
            .finish_non_exhaustive()
    }
}

pub(crate) fn http_method(method: &Method) -> HttpMethod {
    match *method {
        Method::PUT => HttpMethod::Put,
        Method::POST => HttpMethod::Post,
        Method::DELETE => HttpMethod::Delete,
        Method::OPTIONS => HttpMethod::Options,
        Method::HEAD => HttpMethod::Head,
        Method::PATCH => HttpMethod::Patch,
        Method::TRACE => HttpMethod::Trace,
        _ => HttpMethod::Get,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation(id: &str, path: &str, schema: Schema) -> OperationEntry {
        OperationEntry {
            method: Method::GET,
            path: path.to_owned(),
            operation_id: id.to_owned(),
            operation: utoipa::openapi::path::OperationBuilder::new().build(),
            schemas: vec![("Page".to_owned(), RefOr::T(schema))],
            access: Access::default(),
        }
    }

    #[test]
    fn a_schema_name_is_shared_only_by_identical_schemas() {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let cats = || {
            ObjectBuilder::new()
                .property("cat", ObjectBuilder::new())
                .build()
        };
        let dogs = ObjectBuilder::new()
            .property("dog", ObjectBuilder::new().schema_type(Type::String))
            .build();
        let document = OpenApiDocument::new("t", "1");
        document.enter_module("a");
        document
            .add(operation("a.cats", "/cats", Schema::Object(cats())))
            .unwrap();
        document.enter_module("b");
        document
            .add(operation("b.cats", "/cats2", Schema::Object(cats())))
            .unwrap();
        assert!(document.conflicts().is_empty());
        document
            .add(operation("b.dogs", "/dogs", Schema::Object(dogs)))
            .unwrap();
        let conflicts = document.conflicts();
        assert_eq!(conflicts.len(), 1);
        let message = conflicts[0].to_string();
        assert!(
            message.starts_with(
                "schema `Page` of operation `b.dogs` (module `b`) differs from the schema of \
                 that name of operation `a.cats` (module `a`)"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_second_claim_names_both_modules() {
        let document = OpenApiDocument::new("t", "1");
        document.enter_module("a");
        assert!(document.claim_route(&Method::GET, "/x/{id}"));
        document.enter_module("b");
        assert!(!document.claim_route(&Method::GET, "/x/{key}"));
        assert!(document.claim_route(&Method::POST, "/x/{key}"));
        let conflicts = document.conflicts();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(
            conflicts[0].to_string(),
            "route `GET /x/{key}` is registered by both `a` and `b`"
        );
    }
}
