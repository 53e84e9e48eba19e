use modkit::{Module, ModuleCtx};

#[modkit::module(name = "users")]
pub struct Users {
    page_size: u32,
}

#[modkit::async_trait]
impl Module for Users {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
