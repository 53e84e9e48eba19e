//! The grpc phase: every gRPC module's services go to the hub's installer store.

use super::Run;
use crate::registry::RegistryError;

impl Run {
    #[cfg(feature = "grpc")]
    pub(super) async fn grpc(&mut self) -> Result<(), RegistryError> {
        use std::collections::HashMap;

        use crate::registry::GrpcServiceCap;
        use crate::runtime::hook::{HookLimits, run_hook};
        use crate::runtime::{GrpcInstaller, Phase};

        let mut offered_by: HashMap<&'static str, &'static str> = HashMap::new();
        for &module in &self.priority {
            let Some(grpc) = self.cap::<GrpcServiceCap>(module) else {
                continue;
            };
            let mut services = Vec::new();
            let limits = HookLimits {
                deadline: None,
                abandon_on: Some(&self.cancel),
            };
            let ctx = self.ctx(module);
            let collect = async {
                services = grpc.get_grpc_services(ctx).await?;
                Ok(())
            };
            let (elapsed, outcome) = ctx.handle().scope(run_hook(collect, limits)).await;
            self.record(Phase::Grpc, module, elapsed, &outcome);
            outcome.map_err(|failure| self.fail(Phase::Grpc, module, failure))?;

            let name = self.name(module);
            for service in services {
                if let Some(first) = offered_by.insert(service.service_name, name) {
                    return Err(RegistryError::DuplicateGrpcService {
                        service: service.service_name.to_owned(),
                        first: first.to_owned(),
                        second: name.to_owned(),
                    });
                }
                self.sys.grpc_installers().push(GrpcInstaller {
                    module: name.to_owned(),
                    service,
                });
            }
        }
        Ok(())
    }

    #[cfg(not(feature = "grpc"))]
    pub(super) async fn grpc(&mut self) -> Result<(), RegistryError> {
        Ok(())
    }
}
