//! The real gRPC hub, a fake one, and modules that offer named gRPC services.

use std::fmt;
use std::sync::Arc;

use modkit::config::ModulesConfig;
use modkit::grpc_hub::GrpcHub;
use modkit::registry::RegistryBuilder;
use modkit::{GrpcHubCapability, GrpcServiceCapability, Module, ModuleCtx, RegisterGrpcServiceFn};

use crate::event_log::EventLog;
use crate::expect::init;

/// Registers the real `grpc-hub` built-in module (as `#[modkit::module]` declares it) and
/// returns it, to read its endpoint and secret.
pub fn register_grpc_hub(builder: &mut RegistryBuilder) -> Arc<GrpcHub> {
    let hub = Arc::new(GrpcHub::default());
    builder.register_core_with_meta("grpc-hub", &[], hub.clone());
    builder.register_system_with_meta("grpc-hub", hub.clone());
    builder.register_stateful_with_meta("grpc-hub", hub.clone());
    builder.register_grpc_hub_with_meta("grpc-hub", hub.clone());
    hub
}

/// `config` with the gRPC hub on a free loopback port, listening even when no module serves
/// gRPC (`listen: always`, for tests of the hub and its directory), and `extra` merged into
/// its section.
pub fn loopback_hub(config: ModulesConfig, extra: serde_json::Value) -> ModulesConfig {
    let mut section = serde_json::json!({ "bind_addr": "127.0.0.1:0", "listen": "always" });
    if let (Some(section), serde_json::Value::Object(extra)) = (section.as_object_mut(), extra) {
        section.extend(extra);
    }
    config.with_module_config("grpc-hub", section)
}

/// A gRPC hub (`grpc_hub`) that binds nothing.
pub struct FakeGrpcHub {
    name: &'static str,
    log: EventLog,
}

impl FakeGrpcHub {
    /// Registers a hub named `name` (core and `grpc_hub`) that records its init into `log`.
    pub fn register(name: &'static str, log: &EventLog, builder: &mut RegistryBuilder) {
        let hub = Arc::new(Self {
            name,
            log: log.clone(),
        });
        builder.register_core_with_meta(name, &[], hub.clone());
        builder.register_grpc_hub_with_meta(name, hub);
    }
}

impl fmt::Debug for FakeGrpcHub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeGrpcHub")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[modkit::async_trait]
impl Module for FakeGrpcHub {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        self.log.record(init(self.name));
        Ok(())
    }
}

impl GrpcHubCapability for FakeGrpcHub {
    fn bound_endpoint(&self) -> Option<String> {
        None
    }
}

/// A gRPC module (`grpc`) offering services by name; their installers do nothing.
pub struct ServiceModule {
    name: &'static str,
    services: &'static [&'static str],
    log: EventLog,
}

impl ServiceModule {
    /// Registers a module named `name` (core and `grpc`) offering `services`, recording its
    /// init into `log`.
    pub fn register(
        name: &'static str,
        services: &'static [&'static str],
        log: &EventLog,
        builder: &mut RegistryBuilder,
    ) {
        let module = Arc::new(Self {
            name,
            services,
            log: log.clone(),
        });
        builder.register_core_with_meta(name, &[], module.clone());
        builder.register_grpc_service_with_meta(name, module);
    }
}

impl fmt::Debug for ServiceModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceModule")
            .field("name", &self.name)
            .field("services", &self.services)
            .finish_non_exhaustive()
    }
}

#[modkit::async_trait]
impl Module for ServiceModule {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        self.log.record(init(self.name));
        Ok(())
    }
}

#[modkit::async_trait]
impl GrpcServiceCapability for ServiceModule {
    async fn get_grpc_services(
        &self,
        _ctx: &ModuleCtx,
    ) -> anyhow::Result<Vec<RegisterGrpcServiceFn>> {
        Ok(self
            .services
            .iter()
            .map(|&service_name| RegisterGrpcServiceFn {
                service_name,
                register: Box::new(|_| {}),
            })
            .collect())
    }
}
