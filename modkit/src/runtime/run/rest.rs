//! The rest phase: the REST host prepares a router, every REST module adds its routes, the
//! host finalises it.

use super::Run;
use crate::registry::RegistryError;

impl Run {
    #[cfg(feature = "rest")]
    pub(super) fn rest(&mut self) -> Result<(), RegistryError> {
        use crate::registry::{ApiGatewayCap, RestApiCap};
        use crate::runtime::Phase;
        use crate::runtime::hook::run_sync_hook;

        let order = self.registry.modules().len();
        let Some((host, gateway)) = (0..u32::try_from(order).unwrap_or(u32::MAX))
            .find_map(|m| Some((m, self.cap::<ApiGatewayCap>(m)?)))
        else {
            // No host: `check_hosts` already refused REST modules without one.
            return Ok(());
        };
        let host_ctx = self.ctx(host).clone();

        // Each step takes the router and gives it back; a failed step keeps nothing.
        let mut router = Some(axum::Router::new());
        let mut step =
            |module: u32, build: &mut dyn FnMut(axum::Router) -> anyhow::Result<axum::Router>| {
                let input = router.take().unwrap_or_default();
                let (elapsed, outcome) = run_sync_hook(|| {
                    router = Some(build(input)?);
                    Ok(())
                });
                self.record(Phase::Rest, module, elapsed, &outcome);
                outcome.map_err(|failure| self.fail(Phase::Rest, module, failure))
            };

        step(host, &mut |r| {
            gateway.as_registry().enter_module(host_ctx.module_name());
            gateway.rest_prepare(&host_ctx, r)
        })?;
        for &module in &self.priority {
            if let Some(rest) = self.cap::<RestApiCap>(module) {
                let ctx = self.ctx(module).clone();
                step(module, &mut |r| {
                    let registry = gateway.as_registry();
                    registry.enter_module(ctx.module_name());
                    rest.register_rest(&ctx, r, registry)
                })?;
            }
        }
        step(host, &mut |r| {
            gateway.as_registry().enter_module(host_ctx.module_name());
            gateway.rest_finalize(&host_ctx, r)
        })?;
        Ok(())
    }

    #[cfg(not(feature = "rest"))]
    pub(super) fn rest(&mut self) -> Result<(), RegistryError> {
        Ok(())
    }
}
