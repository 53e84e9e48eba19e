use modkit::{CancellationToken, Module, ModuleCtx};

#[derive(Default)]
#[modkit::module(name = "ticker", capabilities = [stateful])]
pub struct Ticker;

#[modkit::async_trait]
impl Module for Ticker {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

// Only the lifecycle error is reported: the module's `stateful` capability does not
// add a second one.
#[modkit::lifecycle]
impl Ticker {
    fn run(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
