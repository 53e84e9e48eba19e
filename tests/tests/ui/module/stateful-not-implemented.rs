use modkit::{Module, ModuleCtx};

#[derive(Default)]
#[modkit::module(name = "ticker", capabilities = [stateful])]
pub struct Ticker;

#[modkit::async_trait]
impl Module for Ticker {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
