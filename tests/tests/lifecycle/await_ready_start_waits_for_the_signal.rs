//! A `#[modkit::lifecycle(await_ready)]` module's start completes only once its task calls
//! `ReadySignal::notify`; a task that returns without notifying fails start-up, naming the
//! module.

use std::sync::Arc;

use modkit::lifecycle::WithLifecycle;
use modkit::registry::RegistryBuilder;
use modkit::{CancellationToken, Module, ModuleCtx, Phase, ReadySignal};
use modkit_tests::{EventLog, RecordingModule, TestHost, error_chain, init, mark, start};
use tokio::sync::Notify;

/// Binds, waits for `listen`, then signals ready and serves until cancelled.
struct Server {
    log: EventLog,
    listen: Arc<Notify>,
}

#[modkit::async_trait]
impl Module for Server {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        self.log.record(init("server"));
        Ok(())
    }
}

#[modkit::lifecycle(method = "serve", await_ready)]
impl Server {
    async fn serve(&self, cancel: CancellationToken, ready: ReadySignal) -> anyhow::Result<()> {
        self.log.record(mark("server", "binding"));
        self.listen.notified().await;
        self.log.record(mark("server", "listening"));
        ready.notify();
        cancel.cancelled().await;
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_returns_only_after_the_task_signals_ready() {
    let log = EventLog::new();
    let listen = Arc::new(Notify::new());
    let mut builder = RegistryBuilder::default();
    let server = Arc::new(Server {
        log: log.clone(),
        listen: Arc::clone(&listen),
    });
    builder.register_core_with_meta("server", &[], server.clone());
    builder.register_stateful_with_meta("server", Arc::new(WithLifecycle::new(server)));
    RecordingModule::new("client", &log)
        .deps(&["server"])
        .stateful()
        .register(&mut builder);

    let host = TestHost::new(builder).spawn();
    log.wait_for(mark("server", "binding")).await;
    // The task is running but has not signalled: the server's start has not returned, so
    // nothing after it has started and the host is not ready.
    assert!(!host.report().is_ready());
    log.assert_absent(start("client"));

    listen.notify_one();
    assert!(host.wait_ready().await, "start-up failed");
    log.assert_subsequence(&[
        mark("server", "binding"),
        mark("server", "listening"),
        start("client"),
    ]);

    host.shut_down().await.assert_ok();
}

/// Returns without ever signalling ready.
struct Quitter;

#[modkit::async_trait]
impl Module for Quitter {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::lifecycle(method = "run", await_ready)]
impl Quitter {
    async fn run(&self, _cancel: CancellationToken, _ready: ReadySignal) -> anyhow::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_that_returns_before_signalling_fails_start_up() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    let quitter = Arc::new(Quitter);
    builder.register_core_with_meta("quitter", &[], quitter.clone());
    builder.register_stateful_with_meta("quitter", Arc::new(WithLifecycle::new(quitter)));
    RecordingModule::new("client", &log)
        .deps(&["quitter"])
        .stateful()
        .register(&mut builder);

    let finished = TestHost::new(builder).run_expecting_failure().await;

    let error = finished.error();
    assert_eq!(error.phase_and_module(), Some((Phase::Start, "quitter")));
    let chain = error_chain(error);
    assert!(
        chain.contains("`quitter`") && chain.contains("before signalling ready"),
        "{chain}"
    );
    log.assert_absent(start("client"));
}

/// `await_ready` on a method that takes no `ReadySignal` (as cf-modkit allows): ready once
/// the task has started. Declared with `#[modkit::module]`, it also gets `MODULE_NAME`.
#[derive(Debug, Default)]
#[modkit::module(name = "no-signal", capabilities = [stateful])]
struct NoSignal {
    ran: std::sync::atomic::AtomicBool,
}

#[modkit::async_trait]
impl Module for NoSignal {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::lifecycle(method = "run", await_ready)]
impl NoSignal {
    async fn run(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        self.ran.store(true, std::sync::atomic::Ordering::SeqCst);
        cancel.cancelled().await;
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn await_ready_without_a_signal_parameter_is_ready_once_started() {
    assert_eq!(NoSignal::MODULE_NAME, "no-signal");
    let host = modkit::testing::TestHost::with_modules([NoSignal::MODULE_NAME])
        .start()
        .await
        .expect("the host starts");
    let module = host.report().snapshot();
    let module = module.module("no-signal").unwrap();
    assert_eq!(
        module.state,
        modkit::runtime::ModuleState::Ready,
        "{module:?}"
    );
    host.stop().await.unwrap();
}
