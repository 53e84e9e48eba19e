//! Two modules offering a gRPC service of the same name fail start-up with an error naming
//! the service and both modules; what was already initialised is rolled back.

use modkit::RegistryError;
use modkit::registry::RegistryBuilder;
use modkit::runtime::HostState;
use modkit_tests::{EventLog, FakeGrpcHub, Hook, RecordingModule, ServiceModule, TestHost, init};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_name_offered_twice_fails_start_up() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    FakeGrpcHub::register("hub", &log, &mut builder);
    ServiceModule::register(
        "calc-a",
        &["demo.Calculator", "demo.Health"],
        &log,
        &mut builder,
    );
    ServiceModule::register("calc-b", &["demo.Calculator"], &log, &mut builder);
    let probe = RecordingModule::new("bystander", &log)
        .stateful()
        .register(&mut builder);

    let finished = TestHost::new(builder).run_expecting_failure().await;

    let error = finished.error();
    match error {
        RegistryError::DuplicateGrpcService {
            service,
            first,
            second,
        } => {
            assert_eq!(service, "demo.Calculator");
            assert_eq!((first.as_str(), second.as_str()), ("calc-a", "calc-b"));
        }
        other => panic!("expected DuplicateGrpcService, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("`demo.Calculator`")
            && message.contains("`calc-a`")
            && message.contains("`calc-b`"),
        "{message}"
    );
    // The grpc phase comes after init and before start.
    log.assert_subsequence(&[init("calc-a"), init("calc-b")]);
    assert!(log.modules_called(Hook::Start).is_empty(), "{log:?}");
    assert!(
        probe.ctx().unwrap().cancellation_token().is_cancelled(),
        "rollback cancels initialised modules"
    );
    assert_eq!(finished.report.host_state, HostState::Failed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn distinct_service_names_are_accepted() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    FakeGrpcHub::register("hub", &log, &mut builder);
    ServiceModule::register("calc-a", &["demo.Calculator"], &log, &mut builder);
    ServiceModule::register("calc-b", &["demo.Converter"], &log, &mut builder);

    TestHost::new(builder)
        .run_until_ready_then_shut_down()
        .await
        .assert_ok();
}
