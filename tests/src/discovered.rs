//! Modules declared with `#[modkit::module]` in this library crate, for tests that check
//! a test binary discovers them with no manual registration (`use modkit_tests as _;`).

use modkit::{CancellationToken, Module, ModuleCtx, RunnableCapability, SystemCapability};

/// A `stateful` module declared with `#[modkit::module]`; implements
/// [`RunnableCapability`] by hand.
#[derive(Debug, Default)]
#[modkit::module(name = "discovered-fixture", capabilities = [stateful])]
pub struct DiscoveredFixture;

#[modkit::async_trait]
impl Module for DiscoveredFixture {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::async_trait]
impl RunnableCapability for DiscoveredFixture {
    async fn start(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }

    async fn stop(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

/// A `system` module declared with `#[modkit::module]`, depending on
/// [`DiscoveredFixture`].
#[derive(Debug, Default)]
#[modkit::module(name = "discovered-dependent", deps = ["discovered-fixture"], capabilities = [system])]
pub struct DiscoveredDependent;

#[modkit::async_trait]
impl Module for DiscoveredDependent {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl SystemCapability for DiscoveredDependent {}
