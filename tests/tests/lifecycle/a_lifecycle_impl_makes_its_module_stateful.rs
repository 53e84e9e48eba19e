//! A `#[modkit::lifecycle]` impl block runs even when the module's `capabilities` do not
//! list `stateful`: a lifecycle that nothing starts is never what was meant.

use std::sync::atomic::{AtomicBool, Ordering};

use modkit::registry::{RegistryBuilder, RunnableCap, register_module};
use modkit::testing::TestHost;
use modkit::{CancellationToken, Module, ModuleCtx};

static RAN: AtomicBool = AtomicBool::new(false);

#[derive(Debug, Default)]
#[modkit::module(name = "implied-stateful")]
struct Implied;

#[modkit::async_trait]
impl Module for Implied {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::lifecycle(method = "run")]
impl Implied {
    async fn run(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        RAN.store(true, Ordering::SeqCst);
        cancel.cancelled().await;
        Ok(())
    }
}

#[derive(Debug, Default)]
#[modkit::module(name = "plain-module")]
struct Plain;

#[modkit::async_trait]
impl Module for Plain {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_lifecycle_runs_and_the_module_is_registered_stateful() {
    // Registered as discovery registers them (`register_module` is what `#[modkit::module]`
    // submits), without the other modules linked into this binary.
    let mut builder = RegistryBuilder::default();
    register_module::<Implied>(&mut builder);
    register_module::<Plain>(&mut builder);
    let registry = builder.build_topo_sorted().unwrap();
    let implied = registry.get_module("implied-stateful").unwrap();
    assert!(implied.caps().has::<RunnableCap>());
    assert!(
        !registry
            .get_module("plain-module")
            .unwrap()
            .caps()
            .has::<RunnableCap>()
    );

    let host = TestHost::with_modules(["implied-stateful"])
        .start()
        .await
        .expect("starts");
    assert!(RAN.load(Ordering::SeqCst), "start ran the lifecycle task");
    host.stop().await.expect("stops");
}
