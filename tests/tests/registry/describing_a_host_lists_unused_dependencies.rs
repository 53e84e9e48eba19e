//! `HostRuntime::describe` (what `graph --format json` prints) lists, per module, the declared
//! dependencies that provide clients of which the module's `init` took none; `check` runs no
//! hook and cannot know.

use std::sync::Arc;

use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::{CancellationToken, ClientHub, DbOptions, HostRuntime, Module, ModuleCtx};

trait Clock: Send + Sync {
    fn now(&self) -> u64;
}

struct Fixed;

impl Clock for Fixed {
    fn now(&self) -> u64 {
        42
    }
}

/// Registers `dyn Clock`.
struct Provider;

#[modkit::async_trait]
impl Module for Provider {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        ctx.client_hub().register::<dyn Clock>(Arc::new(Fixed));
        Ok(())
    }
}

/// Gets `dyn Clock`.
struct User;

#[modkit::async_trait]
impl Module for User {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        assert_eq!(ctx.client_hub().get::<dyn Clock>()?.now(), 42);
        Ok(())
    }
}

/// Declares the dependency, takes nothing.
struct Leftover;

#[modkit::async_trait]
impl Module for Leftover {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn describe_names_the_declared_dependencies_a_module_never_used() {
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("clock", &[], Arc::new(Provider));
    builder.register_core_with_meta("user", &["clock"], Arc::new(User));
    builder.register_core_with_meta("leftover", &["clock"], Arc::new(Leftover));
    let host = HostRuntime::new(
        builder.build_topo_sorted().unwrap(),
        Arc::new(ModulesConfig::empty()),
        DbOptions::None,
        Arc::new(ClientHub::new()),
        CancellationToken::new(),
        uuid::Uuid::new_v4(),
        None,
    );

    let api = host.describe().await.unwrap();

    assert_eq!(
        api.unused_deps.into_iter().collect::<Vec<_>>(),
        [("leftover".to_owned(), vec!["clock".to_owned()])]
    );
}
