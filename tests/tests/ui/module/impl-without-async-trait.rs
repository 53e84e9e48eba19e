use modkit::{Module, ModuleCtx};

#[derive(Default)]
#[modkit::module(name = "users")]
pub struct Users;

impl Module for Users {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
