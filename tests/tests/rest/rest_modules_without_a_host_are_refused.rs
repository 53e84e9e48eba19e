//! A host with REST modules but no REST host is refused before any module runs.

use modkit::RegistryError;
use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, RecordingModule, RouteModule, TestHost};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_modules_need_a_rest_host() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("gateway-less", &log)
        .system()
        .stateful()
        .register(&mut builder);
    RouteModule::register("users", "/users", "users", &log, &mut builder);
    RouteModule::register("audit", "/audit", "audit", &log, &mut builder);

    let finished = TestHost::new(builder).run_expecting_failure().await;

    let error = finished.error();
    match error {
        RegistryError::RestRequiresHost { modules } => assert_eq!(modules, &["audit", "users"]),
        other => panic!("expected RestRequiresHost, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("`audit`, `users`") && message.contains("REST host"),
        "{message}"
    );
    assert!(
        log.events().is_empty(),
        "no hook may run before the check: {log:?}"
    );
}
