use std::fmt;

use tonic::service::RoutesBuilder;

use crate::context::ModuleCtx;

/// One gRPC service a module offers: its full name and how to add it to the hub's routes.
pub struct RegisterGrpcServiceFn {
    /// The fully qualified service name (`package.Service`); unique within a host.
    pub service_name: &'static str,
    /// Adds the service to the hub's tonic routes.
    pub register: Box<dyn Fn(&mut RoutesBuilder) + Send + Sync>,
}

impl fmt::Debug for RegisterGrpcServiceFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisterGrpcServiceFn")
            .field("service_name", &self.service_name)
            .finish_non_exhaustive()
    }
}

/// A module that offers gRPC services through the host's gRPC hub.
///
/// # Lifecycle
/// Called once in the **grpc** phase. Every service goes to the hub; a service name offered
/// twice, or a gRPC module in a host without a hub, fails start-up.
#[diagnostic::on_unimplemented(
    message = "`{Self}` declares the `grpc` capability but does not implement `GrpcServiceCapability`",
    label = "`grpc` needs `impl GrpcServiceCapability`",
    note = "add `#[modkit::async_trait] impl modkit::GrpcServiceCapability for {Self} {{ async fn get_grpc_services(&self, ctx: &modkit::ModuleCtx) -> anyhow::Result<Vec<modkit::RegisterGrpcServiceFn>> {{ .. }} }}`, one `RegisterGrpcServiceFn` per tonic service"
)]
#[async_trait::async_trait]
pub trait GrpcServiceCapability: Send + Sync {
    /// The services to serve.
    async fn get_grpc_services(
        &self,
        ctx: &ModuleCtx,
    ) -> anyhow::Result<Vec<RegisterGrpcServiceFn>>;
}
