//! `ctor = <expr>` builds the module, exactly once, instead of `Default::default()`.

use std::sync::atomic::{AtomicUsize, Ordering};

use modkit::{Module, ModuleCtx, ModuleRegistry};

static BUILT: AtomicUsize = AtomicUsize::new(0);

#[modkit::module(name = "users", ctor = Users::new(50))]
pub struct Users {
    page_size: u32,
}

impl Users {
    fn new(page_size: u32) -> Self {
        BUILT.fetch_add(1, Ordering::SeqCst);
        Self { page_size }
    }
}

#[modkit::async_trait]
impl Module for Users {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        anyhow::ensure!(self.page_size == 50);
        Ok(())
    }
}

fn main() {
    let registry = ModuleRegistry::discover_and_build().expect("the registry builds");
    assert!(registry.get_module("users").is_some());
    assert_eq!(BUILT.load(Ordering::SeqCst), 1);
}
