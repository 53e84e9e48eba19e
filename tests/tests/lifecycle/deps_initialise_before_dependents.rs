//! A module's `init` runs only after the `init` of every module it depends on, and the order
//! is the same on every run: modules whose dependencies are all done go in name order.

use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, Hook, RecordingModule, TestHost, init, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_initialises_after_every_module_it_depends_on() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    // Registered dependents first, so that registration order cannot explain the result.
    RecordingModule::new("app", &log)
        .deps(&["cache", "db"])
        .stateful()
        .register(&mut builder);
    RecordingModule::new("cache", &log)
        .deps(&["db"])
        .stateful()
        .register(&mut builder);
    RecordingModule::new("db", &log)
        .stateful()
        .register(&mut builder);

    TestHost::new(builder)
        .run_until_ready_then_shut_down()
        .await
        .assert_ok();

    log.assert_subsequence(&[
        init("db"),
        init("db").returned(),
        init("cache"),
        init("cache").returned(),
        init("app"),
        start("db"),
        start("cache"),
        start("app"),
    ]);
}

/// Registers the same modules in the order given by `order` (a permutation of 0..6).
fn registry_in(order: &[usize], log: &EventLog) -> RegistryBuilder {
    let mut builder = RegistryBuilder::default();
    for &i in order {
        let module = match i {
            0 => RecordingModule::new("zeta", log),
            1 => RecordingModule::new("alpha", log),
            2 => RecordingModule::new("mid", log).deps(&["zeta"]),
            3 => RecordingModule::new("beta", log),
            4 => RecordingModule::new("omega", log).deps(&["alpha", "mid"]),
            _ => RecordingModule::new("gamma", log).deps(&["beta"]),
        };
        module.stateful().register(&mut builder);
    }
    builder
}

/// Whenever several modules are ready, the one first by name goes first.
const EXPECTED: [&str; 6] = ["alpha", "beta", "gamma", "zeta", "mid", "omega"];

#[test]
fn ties_are_broken_by_name_whatever_the_registration_order() {
    let orders: [[usize; 6]; 5] = [
        [0, 1, 2, 3, 4, 5],
        [5, 4, 3, 2, 1, 0],
        [2, 4, 0, 5, 1, 3],
        [3, 1, 5, 0, 2, 4],
        [4, 2, 5, 3, 0, 1],
    ];
    for order in orders {
        let registry = registry_in(&order, &EventLog::new())
            .build_topo_sorted()
            .unwrap();
        let names: Vec<&str> = registry.modules().iter().map(|m| m.name()).collect();
        assert_eq!(names, EXPECTED, "registered in order {order:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_runs_initialise_and_start_in_the_same_order() {
    for (run, order) in [[0, 1, 2, 3, 4, 5], [4, 2, 5, 3, 0, 1], [5, 4, 3, 2, 1, 0]]
        .iter()
        .enumerate()
    {
        let log = EventLog::new();
        TestHost::new(registry_in(order, &log))
            .run_until_ready_then_shut_down()
            .await
            .assert_ok();
        assert_eq!(log.modules_called(Hook::Init), EXPECTED, "run {run}");
        assert_eq!(log.modules_called(Hook::Start), EXPECTED, "run {run}");
    }
}
