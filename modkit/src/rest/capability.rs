use axum::Router;

use crate::context::ModuleCtx;
use crate::runtime::DescribedRoute;

/// Where REST modules describe their operations; implemented by the REST host.
///
/// The host hands its registry to every [`RestApiCapability::register_rest`] call. A host
/// that keeps richer state exposes it through [`as_any`](OpenApiRegistry::as_any).
pub trait OpenApiRegistry: Send + Sync {
    /// The concrete registry, for code that knows which host it runs under.
    fn as_any(&self) -> &dyn std::any::Any;

    /// Called by the runtime just before `module`'s
    /// [`register_rest`](RestApiCapability::register_rest), so that the registry can name
    /// the module behind each operation (in a duplicate-route error, say). Does nothing by
    /// default.
    fn enter_module(&self, _module: &'static str) {}

    /// Every route registered so far, with the module behind it: what
    /// [`HostRuntime::describe`](crate::HostRuntime::describe) lists. Empty by default.
    fn described_routes(&self) -> Vec<DescribedRoute> {
        Vec::new()
    }
}

/// A module that publishes REST endpoints.
///
/// # Lifecycle
/// Called once in the **rest** phase, after every `init` and `post_init`, between the REST
/// host's [`rest_prepare`](ApiGatewayCapability::rest_prepare) and
/// [`rest_finalize`](ApiGatewayCapability::rest_finalize). A REST module in a host without a
/// REST host fails start-up before any module runs.
///
/// # Example
/// ```
/// use axum::{routing::get, Router};
/// use modkit::{ModuleCtx, OpenApiRegistry, RestApiCapability};
///
/// struct Hello;
///
/// impl RestApiCapability for Hello {
///     fn register_rest(
///         &self,
///         _ctx: &ModuleCtx,
///         router: Router,
///         _openapi: &dyn OpenApiRegistry,
///     ) -> anyhow::Result<Router> {
///         Ok(router.route("/hello", get(|| async { "hello" })))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` declares the `rest` capability but does not implement `RestApiCapability`",
    label = "`rest` needs `impl RestApiCapability`",
    note = "add `impl modkit::RestApiCapability for {Self} {{ fn register_rest(&self, ctx: &modkit::ModuleCtx, router: modkit::axum::Router, openapi: &dyn modkit::OpenApiRegistry) -> anyhow::Result<modkit::axum::Router> {{ Ok(router) }} }}`, adding routes with `modkit::rest::OperationBuilder`"
)]
pub trait RestApiCapability: Send + Sync {
    /// Adds this module's routes to `router` and describes them in `openapi`.
    fn register_rest(
        &self,
        ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router>;
}

/// The one module that owns the HTTP server (the `api-gateway` built-in).
///
/// # Lifecycle
/// In the **rest** phase: `rest_prepare` first, then every REST module's `register_rest`,
/// then `rest_finalize`, which receives the complete router and keeps it to serve in the
/// **start** phase. A host may have at most one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` declares the `rest_host` capability but does not implement `ApiGatewayCapability`",
    label = "`rest_host` needs `impl ApiGatewayCapability`",
    note = "a host has one REST host, usually the built-in `api-gateway`: drop `rest_host` and list `rest` to add routes to it, or implement `rest_prepare`, `rest_finalize` and `as_registry`"
)]
pub trait ApiGatewayCapability: Send + Sync + 'static {
    /// Adds what must come before the modules' routes.
    fn rest_prepare(&self, ctx: &ModuleCtx, router: Router) -> anyhow::Result<Router>;

    /// Receives the complete router; adds what must wrap every route.
    fn rest_finalize(&self, ctx: &ModuleCtx, router: Router) -> anyhow::Result<Router>;

    /// The registry REST modules describe their operations in.
    fn as_registry(&self) -> &dyn OpenApiRegistry;
}
