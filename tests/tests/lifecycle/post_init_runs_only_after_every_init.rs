//! `post_init` is a barrier: it begins only after every module's `init` has returned, even
//! when inits run side by side.

use std::sync::Arc;

use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, init, post_init, pre_init};
use tokio::sync::Barrier;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_init_follows_the_last_init() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("sys", &log)
        .system()
        .register(&mut builder);
    RecordingModule::new("users", &log).register(&mut builder);
    RecordingModule::new("audit", &log)
        .deps(&["users"])
        .register(&mut builder);

    TestHost::new(builder)
        .run_until_ready_then_shut_down()
        .await
        .assert_ok();

    log.assert_order(&[
        pre_init("sys"),
        init("sys"),
        init("users"),
        init("audit"),
        post_init("sys"),
    ]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_init_waits_for_inits_running_side_by_side() {
    let log = EventLog::new();
    let both = Arc::new(Barrier::new(2));
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("sys", &log)
        .system()
        .register(&mut builder);
    RecordingModule::new("left", &log)
        .wait_in(Hook::Init, both.clone())
        .register(&mut builder);
    RecordingModule::new("right", &log)
        .wait_in(Hook::Init, both)
        .register(&mut builder);

    TestHost::new(builder)
        .concurrency(4)
        .run_until_ready_then_shut_down()
        .await
        .assert_ok();

    let post = log.position(post_init("sys")).expect("post_init ran");
    for module in ["sys", "left", "right"] {
        let returned = log
            .position(init(module).returned())
            .expect("init returned");
        assert!(
            returned < post,
            "init({module}) returned after post_init began: {log:?}"
        );
    }
}
