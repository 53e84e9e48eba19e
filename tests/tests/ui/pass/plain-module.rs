//! The smallest module: a name and `impl Module`; discovered through `inventory`.

use modkit::{Module, ModuleCtx, ModuleRegistry};

#[derive(Default)]
#[modkit::module(name = "plain")]
pub struct Plain;

#[modkit::async_trait]
impl Module for Plain {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[derive(Default)]
#[modkit::module(name = "dependent", deps = ["plain"])]
pub struct Dependent;

#[modkit::async_trait]
impl Module for Dependent {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {
    let registry = ModuleRegistry::discover_and_build().expect("the registry builds");
    // Linking `modkit` also brings its built-in `api-gateway` and `grpc-hub`.
    let names: Vec<&str> = registry
        .modules()
        .iter()
        .map(|m| m.name())
        .filter(|name| !["api-gateway", "grpc-hub"].contains(name))
        .collect();
    assert_eq!(names, ["plain", "dependent"]);
    let dependent = registry.get_module("dependent").expect("registered");
    assert_eq!(dependent.deps(), ["plain"]);
    assert!(dependent.caps().names().is_empty());
}
