use modkit::{Module, ModuleCtx};

#[modkit::module(name = "users", ctor = Users::new)]
pub struct Users {
    page_size: u32,
}

impl Users {
    fn new() -> Self {
        Self { page_size: 50 }
    }
}

#[modkit::async_trait]
impl Module for Users {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
