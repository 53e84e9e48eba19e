//! `modkit::runtime::run` (for hosts that do not use `run_server`) discovers the linked
//! modules, starts them and stops them when its shutdown option says so.

use std::sync::Arc;

use modkit::config::ModulesConfig;
use modkit::runtime::{RunOptions, ShutdownOptions, run};
use modkit::{CancellationToken, Module, ModuleCtx};
use modkit_tests::within;
use tokio::sync::watch;

/// Started last (it depends on every other linked module); says so, and when it stopped.
#[derive(Debug, Default)]
#[modkit::module(
    name = "last-to-start",
    deps = ["discovered-dependent", "api-gateway", "grpc-hub"],
    capabilities = [stateful]
)]
pub struct LastToStart;

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

fn config() -> Arc<ModulesConfig> {
    Arc::new(ModulesConfig::new(serde_json::json!({
        "api-gateway": { "config": { "bind_addr": "127.0.0.1:0" } },
        "grpc-hub": { "config": { "bind_addr": "127.0.0.1:0" } },
    })))
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

    let token = CancellationToken::new();
    let host = tokio::spawn(run(
        RunOptions::new(config()).with_shutdown(ShutdownOptions::Token(token.clone()))
    ));
    within("every module to start", started()).await;
    token.cancel();
    within("the host to stop", host)
        .await
        .unwrap()
        .expect("a clean stop");
    assert_eq!(*RUNNING.borrow(), Some(false), "the modules were stopped");

    RUNNING.send_replace(None);
    let options =
        RunOptions::new(config()).with_shutdown(ShutdownOptions::Future(Box::pin(started())));
    within("a host stopped by its future", run(options))
        .await
        .expect("a clean stop");
    assert_eq!(*RUNNING.borrow(), Some(false), "the modules were stopped");
}
