use modkit::{Module, ModuleCtx};

pub struct UsersClient;

#[derive(Default)]
#[modkit::module(name = "users", client = UsersClient)]
pub struct Users;

#[modkit::async_trait]
impl Module for Users {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
