use std::sync::{Arc, OnceLock};

use modkit::directory::RemoteService;
use modkit::{GrpcServiceCapability, Module, ModuleCtx, RegisterGrpcServiceFn};

use super::{
    CalculatorApi, CalculatorGrpcClient, CalculatorService, LocalCalculator, SERVICE_NAME,
};

/// The `calculator` module: offers [`CalculatorApi`] in the ClientHub and as a gRPC
/// service.
///
/// Placed in-process (`modules.calculator.runtime.type: local`, the default), its `init`
/// registers a [`LocalCalculator`] and the gRPC hub serves its service. Placed out of process
/// (`oop`), the host runs none of its hooks: it registers a [`CalculatorGrpcClient`] instead
/// (the module's remote client) and the child process serves the calculator.
#[derive(Default)]
#[modkit::module(
    name = "calculator",
    capabilities = [grpc],
    client = crate::calculator::CalculatorApi
)]
pub struct Calculator {
    api: OnceLock<Arc<dyn CalculatorApi>>,
}

impl std::fmt::Debug for Calculator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calculator")
            .field("initialised", &self.api.get().is_some())
            .finish()
    }
}

#[modkit::async_trait]
impl Module for Calculator {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        let api: Arc<dyn CalculatorApi> = Arc::new(LocalCalculator);
        ctx.client_hub()
            .register::<dyn CalculatorApi>(Arc::clone(&api));
        // A second init of the same instance keeps the first calculator; both are equal.
        let _ = self.api.set(api);
        Ok(())
    }
}

#[modkit::async_trait]
impl GrpcServiceCapability for Calculator {
    async fn get_grpc_services(
        &self,
        _ctx: &ModuleCtx,
    ) -> anyhow::Result<Vec<RegisterGrpcServiceFn>> {
        let api = self
            .api
            .get()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("the grpc phase ran before `init`"))?;
        Ok(vec![RegisterGrpcServiceFn {
            service_name: SERVICE_NAME,
            register: Box::new(move |routes| {
                routes.add_service(CalculatorService::new(Arc::clone(&api)).into_server());
            }),
        }])
    }
}

/// The calculator's remote client: with `runtime.type: oop`, the host runs this in place of
/// the module's `init`.
fn install_remote_calculator(ctx: &ModuleCtx) -> anyhow::Result<()> {
    let remote = RemoteService::for_module(ctx, SERVICE_NAME)?;
    ctx.client_hub()
        .register::<dyn CalculatorApi>(Arc::new(CalculatorGrpcClient::new(remote)));
    Ok(())
}

modkit::remote_client!("calculator", install_remote_calculator);
