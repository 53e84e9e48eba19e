//! `client = path::to::Trait` accepts any trait that can key the ClientHub, written with
//! or without `dyn`.

use modkit::{Module, ModuleCtx};

pub mod sdk {
    pub trait UsersApi: Send + Sync {
        fn count(&self) -> usize;
    }

    pub trait AuditApi: Send + Sync {}
}

#[derive(Default)]
#[modkit::module(name = "users", client = sdk::UsersApi)]
pub struct Users;

#[modkit::async_trait]
impl Module for Users {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[derive(Default)]
#[modkit::module(name = "audit", client = dyn crate::sdk::AuditApi)]
pub struct Audit;

#[modkit::async_trait]
impl Module for Audit {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
