//! The grpc phase's driver: every gRPC module's services go to the hub's installer store.

use std::collections::HashMap;

use super::GrpcInstaller;
use crate::base::Phase;
use crate::registry::{CapabilityTag, GrpcServiceCap, RegistryError};
use crate::runtime::hook::run_hook;
use crate::runtime::{HostApi, PhaseDriver, Run};

/// Collects each gRPC module's services, refusing a service name offered twice.
#[derive(Debug)]
pub(crate) struct GrpcPhase;

#[async_trait::async_trait]
impl PhaseDriver for GrpcPhase {
    fn phase(&self) -> Phase {
        Phase::Grpc
    }

    /// gRPC modules need a hub to serve them.
    fn check(&self, run: &Run) -> Result<(), RegistryError> {
        let modules: Vec<String> = (run.module_ids())
            .filter(|&m| run.has_capability(m, GrpcServiceCap::BIT))
            .map(|m| run.module_name(m).to_owned())
            .collect();
        if !modules.is_empty() && run.registry().grpc_hub.is_none() {
            return Err(RegistryError::GrpcRequiresHub { modules });
        }
        Ok(())
    }

    async fn run(&self, run: &mut Run) -> Result<(), RegistryError> {
        let run = &*run;
        let mut offered_by: HashMap<&'static str, &'static str> = HashMap::new();
        for m in run.in_priority_order() {
            let Some(grpc) = run.capability::<GrpcServiceCap>(m) else {
                continue;
            };
            let mut services = Vec::new();
            let limits = run.hook_limits(m, Phase::Grpc);
            let ctx = run.module_ctx(m);
            let collect = async {
                services = grpc.get_grpc_services(ctx).await?;
                Ok(())
            };
            let (elapsed, outcome) = ctx.handle().scope(run_hook(collect, limits)).await;
            run.record_hook(Phase::Grpc, m, elapsed, &outcome);
            outcome.map_err(|failure| run.fail_hook(Phase::Grpc, m, failure))?;

            let name = run.module_name(m);
            for service in services {
                if let Some(first) = offered_by.insert(service.service_name, name) {
                    return Err(RegistryError::DuplicateGrpcService {
                        service: service.service_name.to_owned(),
                        first: first.to_owned(),
                        second: name.to_owned(),
                    });
                }
                run.system_context().grpc_installers().push(GrpcInstaller {
                    module: name.to_owned(),
                    service,
                });
            }
        }
        Ok(())
    }

    fn describe(&self, run: &Run, api: &mut HostApi) {
        api.grpc = run.system_context().grpc_installers().described();
    }
}
