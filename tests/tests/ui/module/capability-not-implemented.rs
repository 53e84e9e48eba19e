use modkit::{Module, ModuleCtx};

#[derive(Default)]
#[modkit::module(name = "users", capabilities = [rest, system, db, rest_host, grpc])]
pub struct Users;

#[modkit::async_trait]
impl Module for Users {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
