use modkit::{Module, ModuleCtx};

#[derive(Default)]
#[modkit::module(name = "ticker", lifecycle(entry = "serve", await_ready))]
pub struct Ticker;

impl Ticker {
    async fn run(&self, _cancel: modkit::CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::async_trait]
impl Module for Ticker {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
