//! A fake REST host and REST modules that add one route each.

use std::fmt;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::get;
use modkit::registry::RegistryBuilder;
use modkit::{ApiGatewayCapability, Module, ModuleCtx, OpenApiRegistry, RestApiCapability};

use crate::event_log::EventLog;
use crate::expect::{init, mark};

/// A REST host (`rest_host`) that serves nothing: it adds `GET /prepared` in `rest_prepare`
/// and keeps the router `rest_finalize` receives, for the test to call.
#[derive(Default)]
pub struct FakeRestHost {
    name: &'static str,
    log: EventLog,
    router: Mutex<Option<Router>>,
}

impl FakeRestHost {
    /// Registers a REST host named `name` (core and `rest_host`) that records its init and
    /// its `rest_prepare`/`rest_finalize` calls (as marks) into `log`.
    pub fn register(
        name: &'static str,
        log: &EventLog,
        builder: &mut RegistryBuilder,
    ) -> Arc<Self> {
        let host = Arc::new(Self {
            name,
            log: log.clone(),
            router: Mutex::new(None),
        });
        builder.register_core_with_meta(name, &[], host.clone());
        builder.register_rest_host_with_meta(name, host.clone());
        host
    }

    /// The router `rest_finalize` received, once the rest phase ran.
    pub fn final_router(&self) -> Option<Router> {
        self.router
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

impl fmt::Debug for FakeRestHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeRestHost")
            .field("name", &self.name)
            .field("finalised", &self.final_router().is_some())
            .finish_non_exhaustive()
    }
}

#[modkit::async_trait]
impl Module for FakeRestHost {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        self.log.record(init(self.name));
        Ok(())
    }
}

impl OpenApiRegistry for FakeRestHost {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl ApiGatewayCapability for FakeRestHost {
    fn rest_prepare(&self, _ctx: &ModuleCtx, router: Router) -> anyhow::Result<Router> {
        self.log.record(mark(self.name, "rest_prepare"));
        Ok(router.route("/prepared", get(|| async { "prepared" })))
    }

    fn rest_finalize(&self, _ctx: &ModuleCtx, router: Router) -> anyhow::Result<Router> {
        self.log.record(mark(self.name, "rest_finalize"));
        *self
            .router
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(router.clone());
        Ok(router)
    }

    fn as_registry(&self) -> &dyn OpenApiRegistry {
        self
    }
}

/// A REST module (`rest`) that adds `GET <path>`, answering `body`.
pub struct RouteModule {
    name: &'static str,
    path: &'static str,
    body: &'static str,
    log: EventLog,
}

impl RouteModule {
    /// Registers a REST module named `name` (core and `rest`) that serves `body` at `path`
    /// and records its init and its `register_rest` call (as a mark) into `log`.
    pub fn register(
        name: &'static str,
        path: &'static str,
        body: &'static str,
        log: &EventLog,
        builder: &mut RegistryBuilder,
    ) {
        let module = Arc::new(Self {
            name,
            path,
            body,
            log: log.clone(),
        });
        builder.register_core_with_meta(name, &[], module.clone());
        builder.register_rest_with_meta(name, module);
    }
}

impl fmt::Debug for RouteModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouteModule")
            .field("name", &self.name)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

#[modkit::async_trait]
impl Module for RouteModule {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        self.log.record(init(self.name));
        Ok(())
    }
}

impl RestApiCapability for RouteModule {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        anyhow::ensure!(
            openapi.as_any().is::<FakeRestHost>(),
            "`{}` was handed an OpenAPI registry that is not the REST host's",
            self.name
        );
        self.log.record(mark(self.name, "register_rest"));
        let body = self.body;
        Ok(router.route(self.path, get(move || async move { body })))
    }
}
