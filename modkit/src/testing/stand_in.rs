use crate::context::ModuleCtx;
use crate::contracts::Module;

/// Takes the place of a module a test did not choose but a chosen one depends on, so the
/// graph stays whole; the test registers fake clients for what the real module provides.
#[derive(Debug)]
pub(super) struct StandIn;

#[async_trait::async_trait]
impl Module for StandIn {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}
