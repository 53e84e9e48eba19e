use modkit::{Module, ModuleCtx};

pub trait UsersApi {
    fn count(&self) -> usize;
}

#[derive(Default)]
#[modkit::module(name = "users", client = UsersApi)]
pub struct Users;

#[modkit::async_trait]
impl Module for Users {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
