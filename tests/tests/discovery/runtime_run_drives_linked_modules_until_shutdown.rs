//! `modkit::runtime::run` (for hosts that do not use `run_server`) discovers the linked
//! modules, starts them and stops them when its shutdown option says so.

use std::sync::Arc;

use modkit::RegistryError;
use modkit::config::ModulesConfig;
use modkit::runtime::{RunOptions, ShutdownOptions, run};
use modkit::{CancellationToken, Module, ModuleCtx};
use modkit_tests::{TempHome, within};
use tokio::sync::watch;

/// Started last (it depends on every other linked module); says so, and when it stopped.
#[derive(Debug, Default)]
#[modkit::module(
    name = "last-to-start",
    deps = ["discovered-dependent", "api-gateway", "grpc-hub"],
    capabilities = [stateful]
)]
struct LastToStart;

static RUNNING: std::sync::LazyLock<watch::Sender<Option<bool>>> =
    std::sync::LazyLock::new(|| watch::Sender::new(None));

#[modkit::async_trait]
impl Module for LastToStart {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::lifecycle(method = "run")]
impl LastToStart {
    async fn run(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        RUNNING.send_replace(Some(true));
        cancel.cancelled().await;
        RUNNING.send_replace(Some(false));
        Ok(())
    }
}

fn config() -> ModulesConfig {
    ModulesConfig::new(serde_json::json!({
        "api-gateway": { "config": { "bind_addr": "127.0.0.1:0" } },
        "grpc-hub": { "config": { "bind_addr": "127.0.0.1:0" } },
    }))
}

/// Every linked module (the example modules too) on free ports, with databases under `home`.
fn options(home: &TempHome) -> RunOptions {
    let config = config();
    RunOptions::new(Arc::new(config.clone())).with_db(home.manager(&config))
}

/// A stop requested while other linked modules are still starting rolls start-up back and
/// returns `Cancelled`; either way every started module was stopped.
fn stopped_cleanly(outcome: Result<(), RegistryError>) {
    match outcome {
        Ok(()) | Err(RegistryError::Cancelled { .. }) => {}
        Err(error) => panic!("the host failed: {error:?}"),
    }
    assert_eq!(*RUNNING.borrow(), Some(false), "the modules were stopped");
}

async fn started() {
    let _ = RUNNING
        .subscribe()
        .wait_for(|running| *running == Some(true))
        .await;
}

// One test: the modules are process-wide, and so is what they record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_stops_on_its_token_and_on_its_future() {
    use modkit_tests as _;

    let home = TempHome::new();
    let token = CancellationToken::new();
    let mut host = tokio::spawn(run(
        options(&home).with_shutdown(ShutdownOptions::Token(token.clone()))
    ));
    tokio::select! {
        () = within("every module to start", started()) => {}
        ended = &mut host => panic!("the host ended before it was up: {ended:?}"),
    }
    token.cancel();
    stopped_cleanly(within("the host to stop", host).await.unwrap());

    RUNNING.send_replace(None);
    let options = options(&home).with_shutdown(ShutdownOptions::Future(Box::pin(started())));
    stopped_cleanly(within("a host stopped by its future", run(options)).await);
}
