//! `lifecycle(..)` inside `#[modkit::module]`: the `Runnable` impl calls the `entry`
//! method, and the `stateful` capability is implied.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use modkit::lifecycle::{LifecycleOptions, ReadyMode, Runnable};
use modkit::registry::RunnableCap;
use modkit::{CancellationToken, Module, ModuleCtx, ModuleRegistry, ReadySignal};

static SERVED: AtomicUsize = AtomicUsize::new(0);

#[derive(Default)]
#[modkit::module(
    name = "server",
    lifecycle(entry = "serve", stop_timeout = "250ms", await_ready)
)]
pub struct Server;

impl Server {
    async fn serve(&self, cancel: CancellationToken, ready: ReadySignal) -> anyhow::Result<()> {
        SERVED.fetch_add(1, Ordering::SeqCst);
        ready.notify();
        cancel.cancelled().await;
        Ok(())
    }
}

#[modkit::async_trait]
impl Module for Server {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[derive(Default)]
#[modkit::module(name = "defaults", capabilities = [stateful], lifecycle)]
pub struct Defaults;

impl Defaults {
    async fn serve(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::async_trait]
impl Module for Defaults {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[tokio::main]
async fn main() {
    assert_eq!(
        <Server as Runnable>::OPTIONS,
        LifecycleOptions::new(Duration::from_millis(250), ReadyMode::AwaitSignal)
    );
    assert_eq!(<Defaults as Runnable>::OPTIONS, LifecycleOptions::DEFAULT);

    let registry = ModuleRegistry::discover_and_build().expect("the registry builds");
    let server = registry.get_module("server").expect("registered");
    let runnable = server
        .caps()
        .query::<RunnableCap>()
        .expect("stateful is implied");
    runnable
        .start(CancellationToken::new())
        .await
        .expect("starts");
    assert_eq!(
        SERVED.load(Ordering::SeqCst),
        1,
        "start returns once `serve` is ready"
    );
    runnable
        .stop(CancellationToken::new())
        .await
        .expect("stops");

    // The task can run without the runtime, with a signal nobody waits for.
    let cancel = CancellationToken::new();
    cancel.cancel();
    Arc::new(Server)
        .launch(cancel, ReadySignal::detached())
        .await
        .expect("ends once cancelled");
    assert_eq!(SERVED.load(Ordering::SeqCst), 2);
}
