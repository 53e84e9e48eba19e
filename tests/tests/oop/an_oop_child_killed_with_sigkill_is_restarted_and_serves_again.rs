use std::sync::Arc;

use modkit::backends::{ChildState, LocalProcessBackend};
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{ModuleState, OopSpawnOptions};
use modkit_tests::{
    OopStandIn, PATIENCE, StubDirectoryHub, TestHost, health_check, oop_section, wait_until_gone,
};
use rustix::process::{Pid, Signal, kill_process};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oop_child_killed_with_sigkill_is_restarted_and_serves_again() {
    let modules = ModulesConfig::new(json!({
        "probe": oop_section(CHILD, &["serve"], json!({ "initial_backoff": "10ms" })),
    }));
    let backend = LocalProcessBackend::new(Arc::new(modules.clone()), "secret");
    let mut builder = RegistryBuilder::default();
    StubDirectoryHub::register(&mut builder);
    OopStandIn::register("probe", &mut builder);
    let host = TestHost::new(builder)
        .config(modules)
        .oop(OopSpawnOptions {
            modules: vec!["probe".to_owned()],
            backend: Arc::new(backend.clone()),
        })
        .spawn();
    assert!(host.wait_ready().await, "{:#?}", host.report().snapshot());

    let first_pid = backend.pid("probe").expect("the child runs");
    let first_endpoint = backend.endpoint("probe").expect("the child serves");
    assert!(health_check(&first_endpoint).await.unwrap());

    let pid = Pid::from_raw(i32::try_from(first_pid).unwrap()).unwrap();
    kill_process(pid, Signal::KILL).unwrap();
    assert!(wait_until_gone(first_pid, PATIENCE).await);

    let again = backend
        .wait_for("probe", PATIENCE, |state| {
            matches!(state, ChildState::Running { attempt: 2, .. })
        })
        .await
        .expect("the child is started again");
    let ChildState::Running { pid, endpoint, .. } = again else {
        unreachable!()
    };
    assert_ne!(pid, first_pid);
    assert!(
        health_check(&endpoint).await.unwrap(),
        "calls succeed again"
    );
    assert_eq!(
        host.report().module_state("probe"),
        Some(ModuleState::Ready)
    );

    let finished = host.shut_down().await;
    finished.result.unwrap();
    assert!(wait_until_gone(pid, PATIENCE).await);
}
