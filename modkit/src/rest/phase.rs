//! The rest phase's driver: the REST host prepares a router, every REST module adds its
//! routes, the host finalises it.

use crate::base::{ModuleId, Phase};
use crate::registry::{ApiGatewayCap, CapabilityTag, RegistryError, RestApiCap};
use crate::runtime::hook::run_sync_hook;
use crate::runtime::{HostApi, PhaseDriver, Run};

/// Threads one `axum::Router` through the REST host and every REST module.
#[derive(Debug)]
pub(crate) struct RestPhase;

impl RestPhase {
    /// The REST host: the first module with the `rest_host` capability.
    fn host(run: &Run) -> Option<ModuleId> {
        run.module_ids()
            .find(|&m| run.has_capability(m, ApiGatewayCap::BIT))
    }
}

#[async_trait::async_trait]
impl PhaseDriver for RestPhase {
    fn phase(&self) -> Phase {
        Phase::Rest
    }

    /// REST modules need a REST host.
    fn check(&self, run: &Run) -> Result<(), RegistryError> {
        let modules: Vec<String> = (run.module_ids())
            .filter(|&m| run.has_capability(m, RestApiCap::BIT))
            .map(|m| run.module_name(m).to_owned())
            .collect();
        if !modules.is_empty() && Self::host(run).is_none() {
            return Err(RegistryError::RestRequiresHost { modules });
        }
        Ok(())
    }

    async fn run(&self, run: &mut Run) -> Result<(), RegistryError> {
        let run = &*run;
        let Some(host) = Self::host(run) else {
            // No host and, as `check` made sure, no REST module either.
            return Ok(());
        };
        let Some(gateway) = run.capability::<ApiGatewayCap>(host) else {
            return Ok(());
        };
        let host_ctx = run.module_ctx(host);

        // Each step takes the router and gives it back; a failed step keeps nothing.
        let mut router = Some(axum::Router::new());
        let mut step =
            |m: ModuleId, build: &mut dyn FnMut(axum::Router) -> anyhow::Result<axum::Router>| {
                let input = router.take().unwrap_or_default();
                let (elapsed, outcome) = run_sync_hook(|| {
                    router = Some(build(input)?);
                    Ok(())
                });
                run.record_hook(Phase::Rest, m, elapsed, &outcome);
                outcome.map_err(|failure| run.fail_hook(Phase::Rest, m, failure))
            };

        step(host, &mut |r| {
            gateway.as_registry().enter_module(host_ctx.module_name());
            gateway.rest_prepare(host_ctx, r)
        })?;
        for m in run.in_priority_order() {
            if let Some(rest) = run.capability::<RestApiCap>(m) {
                let ctx = run.module_ctx(m);
                step(m, &mut |r| {
                    let registry = gateway.as_registry();
                    registry.enter_module(ctx.module_name());
                    rest.register_rest(ctx, r, registry)
                })?;
            }
        }
        step(host, &mut |r| {
            gateway.as_registry().enter_module(host_ctx.module_name());
            gateway.rest_finalize(host_ctx, r)
        })?;
        Ok(())
    }

    fn describe(&self, run: &Run, api: &mut HostApi) {
        if let Some(gateway) =
            Self::host(run).and_then(|host| run.capability::<ApiGatewayCap>(host))
        {
            api.rest = gateway.as_registry().described_routes();
        }
    }
}
