//! System modules run `init` and `start` before ordinary modules, as early as their own
//! dependencies allow; a system module never runs before a module it depends on.

use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, init, pre_init};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn system_modules_come_first_in_init_and_start() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("alpha", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("beta", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("zz-gateway", &log)
        .system()
        .stateful()
        .register(&mut builder);

    TestHost::new(builder)
        .run_until_ready_then_shut_down()
        .await
        .assert_ok();

    assert_eq!(
        log.modules_called(Hook::Init),
        ["zz-gateway", "alpha", "beta"]
    );
    assert_eq!(
        log.modules_called(Hook::Start),
        ["zz-gateway", "alpha", "beta"]
    );
    assert_eq!(
        log.modules_called(Hook::Stop),
        ["beta", "alpha", "zz-gateway"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_system_module_still_waits_for_the_ordinary_module_it_depends_on() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("aaa", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("zz-config", &log)
        .stateful()
        .register(&mut builder);
    RecordingModule::new("gateway", &log)
        .deps(&["zz-config"])
        .system()
        .stateful()
        .register(&mut builder);

    let registry = builder.build_topo_sorted().unwrap();
    let by_priority: Vec<&str> = registry
        .modules_by_system_priority()
        .iter()
        .map(|m| m.name())
        .collect();
    assert_eq!(by_priority, ["zz-config", "gateway", "aaa"]);
    let topo: Vec<&str> = registry.modules().iter().map(|m| m.name()).collect();
    assert_eq!(
        topo,
        ["aaa", "zz-config", "gateway"],
        "plain topological order ignores the system capability"
    );

    TestHost::from_registry(registry)
        .run_until_ready_then_shut_down()
        .await
        .assert_ok();

    assert_eq!(
        log.modules_called(Hook::Init),
        ["zz-config", "gateway", "aaa"]
    );
    assert_eq!(
        log.modules_called(Hook::Start),
        ["zz-config", "gateway", "aaa"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pre_init_runs_for_system_modules_only_and_before_any_init() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("plain", &log).register(&mut builder);
    RecordingModule::new("sys-a", &log)
        .system()
        .register(&mut builder);
    RecordingModule::new("sys-b", &log)
        .deps(&["plain"])
        .system()
        .register(&mut builder);

    TestHost::new(builder)
        .run_until_ready_then_shut_down()
        .await
        .assert_ok();

    assert_eq!(log.modules_called(Hook::PreInit), ["sys-a", "sys-b"]);
    log.assert_subsequence(&[pre_init("sys-a"), pre_init("sys-b"), init("plain")]);
    assert_eq!(log.modules_called(Hook::Init), ["sys-a", "plain", "sys-b"]);
}

/// A system module that needs nothing goes before an ordinary module, even one that another
/// system module needs and whose name sorts first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_system_module_that_needs_nothing_goes_before_every_ordinary_module() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("sys-free", &log)
        .system()
        .register(&mut builder);
    RecordingModule::new("sys-needs-base", &log)
        .deps(&["app-base"])
        .system()
        .register(&mut builder);
    RecordingModule::new("app-base", &log).register(&mut builder);
    RecordingModule::new("app-other", &log).register(&mut builder);

    let registry = builder.build_topo_sorted().unwrap();
    let by_priority: Vec<&str> = registry
        .modules_by_system_priority()
        .iter()
        .map(|m| m.name())
        .collect();
    let expected = ["sys-free", "app-base", "sys-needs-base", "app-other"];
    assert_eq!(by_priority, expected);

    TestHost::from_registry(registry)
        .run_until_ready_then_shut_down()
        .await
        .assert_ok();
    assert_eq!(log.modules_called(Hook::Init), expected);
}
