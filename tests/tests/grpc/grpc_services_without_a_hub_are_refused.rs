//! A host with gRPC modules but no gRPC hub is refused before any module runs.

use modkit::RegistryError;
use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, RecordingModule, ServiceModule, TestHost};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_modules_need_a_hub() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("sys", &log)
        .system()
        .stateful()
        .register(&mut builder);
    ServiceModule::register("calculator", &["demo.Calculator"], &log, &mut builder);

    let finished = TestHost::new(builder).run_expecting_failure().await;

    let error = finished.error();
    match error {
        RegistryError::GrpcRequiresHub { modules } => assert_eq!(modules, &["calculator"]),
        other => panic!("expected GrpcRequiresHub, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("`calculator`") && message.contains("gRPC hub"),
        "{message}"
    );
    assert!(
        log.events().is_empty(),
        "no hook may run before the check: {log:?}"
    );
}
