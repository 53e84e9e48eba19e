//! `#[modkit::lifecycle]` with and without `await_ready`: start runs the method as a task,
//! stop cancels it and waits.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use modkit::lifecycle::{LifecycleOptions, ReadyMode, Runnable};
use modkit::registry::RunnableCap;
use modkit::{CancellationToken, Module, ModuleCtx, ModuleRegistry, ReadySignal};

#[derive(Default)]
#[modkit::module(name = "ticker", capabilities = [stateful])]
pub struct Ticker {
    running: AtomicBool,
    stopped: AtomicBool,
}

#[modkit::async_trait]
impl Module for Ticker {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::lifecycle(method = "run", stop_timeout = "5s", await_ready)]
impl Ticker {
    async fn run(&self, cancel: CancellationToken, ready: ReadySignal) -> anyhow::Result<()> {
        self.running.store(true, Ordering::SeqCst);
        ready.notify();
        cancel.cancelled().await;
        self.stopped.store(true, Ordering::SeqCst);
        Ok(())
    }
}

#[derive(Default)]
#[modkit::module(name = "poller", capabilities = [stateful])]
pub struct Poller;

#[modkit::async_trait]
impl Module for Poller {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

/// The error type of `run` may be anything that converts into `anyhow::Error`.
#[derive(Debug)]
pub struct PollError;

impl std::fmt::Display for PollError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("poll failed")
    }
}

impl std::error::Error for PollError {}

#[modkit::lifecycle(await_ready = false)]
impl Poller {
    async fn run(&self, cancel: CancellationToken) -> Result<(), PollError> {
        cancel.cancelled().await;
        Ok(())
    }
}

#[tokio::main]
async fn main() {
    assert_eq!(
        <Ticker as Runnable>::OPTIONS,
        LifecycleOptions::new(Duration::from_secs(5), ReadyMode::AwaitSignal)
    );
    assert_eq!(<Poller as Runnable>::OPTIONS, LifecycleOptions::DEFAULT);

    let registry = ModuleRegistry::discover_and_build().expect("the registry builds");
    for name in ["ticker", "poller"] {
        let runnable = registry
            .get_module(name)
            .and_then(|module| module.caps().query::<RunnableCap>())
            .expect("stateful");
        runnable
            .start(CancellationToken::new())
            .await
            .expect("starts");
        runnable
            .stop(CancellationToken::new())
            .await
            .expect("stops");
    }
}
