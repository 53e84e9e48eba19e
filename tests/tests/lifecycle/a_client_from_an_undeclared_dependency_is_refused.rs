//! The ClientHub remembers which module registered each client: a module that gets a client
//! from a module outside its dependencies is refused with a message naming both and the
//! `deps` to add, even when start-up order happens to put the provider first; declared
//! dependencies whose clients a module never took are listed in the runtime report.

use std::sync::Arc;

use modkit::registry::RegistryBuilder;
use modkit::{ClientHubError, Module, ModuleCtx};
use modkit_tests::{TestHost, error_chain};

trait Greeter: Send + Sync {
    fn greet(&self) -> &'static str;
}

struct Hello;

impl Greeter for Hello {
    fn greet(&self) -> &'static str {
        "hello"
    }
}

/// Registers `dyn Greeter` in its `init`.
struct Provider;

#[modkit::async_trait]
impl Module for Provider {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        ctx.client_hub().register::<dyn Greeter>(Arc::new(Hello));
        Ok(())
    }
}

/// Gets `dyn Greeter` in its `init`.
struct Consumer;

#[modkit::async_trait]
impl Module for Consumer {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        assert_eq!(ctx.client_hub().get::<dyn Greeter>()?.greet(), "hello");
        Ok(())
    }
}

/// Registers nothing.
struct Quiet;

#[modkit::async_trait]
impl Module for Quiet {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_of_a_module_outside_the_deps_is_refused_naming_both() {
    // `greeter` sorts before `users`, so it initialises first: without the check, `users`
    // would get the client by luck.
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("greeter", &[], Arc::new(Provider));
    builder.register_core_with_meta("users", &[], Arc::new(Consumer));

    let finished = TestHost::new(builder).run_expecting_failure().await;

    let error = finished.error();
    assert_eq!(
        error.phase_and_module(),
        Some((modkit::Phase::Init, "users"))
    );
    let chain = error_chain(error);
    let uses = format!("module `users` uses `dyn {}::Greeter`", module_path!());
    for expected in [
        uses.as_str(),
        "registered by module `greeter`",
        "add `deps = [\"greeter\"]`",
    ] {
        assert!(chain.contains(expected), "`{expected}` missing: {chain}");
    }
    let modkit::RegistryError::Phase { source, .. } = error else {
        panic!("not a phase error: {error:?}");
    };
    let refused = source
        .downcast_ref::<ClientHubError>()
        .expect("the cause is a ClientHubError");
    assert!(matches!(
        refused,
        ClientHubError::UndeclaredDependency {
            module: "users",
            provider: "greeter",
            ..
        }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dependency_reached_through_another_counts_and_unused_ones_are_reported() {
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("greeter", &[], Arc::new(Provider));
    builder.register_core_with_meta("quiet", &[], Arc::new(Quiet));
    builder.register_core_with_meta("middle", &["greeter"], Arc::new(Quiet));
    // Reaches `greeter` through `middle`; `quiet` provides no client, so it is not listed.
    builder.register_core_with_meta("users", &["middle", "quiet"], Arc::new(Consumer));
    // Declares `greeter` and never takes its client.
    builder.register_core_with_meta("idle", &["greeter"], Arc::new(Quiet));

    let host = TestHost::new(builder).spawn();
    assert!(host.wait_ready().await, "start-up failed");
    let report = host.report().snapshot();
    assert!(report.module("users").unwrap().unused_deps.is_empty());
    assert_eq!(report.module("idle").unwrap().unused_deps, ["greeter"]);
    assert_eq!(report.module("middle").unwrap().unused_deps, ["greeter"]);
    host.shut_down().await.assert_ok();
}
