//! Every problem with a set of modules is found by `build_topo_sorted` and reported in one
//! `RegistryError::InvalidConfiguration`, each with a message that names the culprits (and
//! the fix, where there is one).

use std::sync::Arc;

use modkit::registry::{ConfigProblem, RegistryBuilder};
use modkit::{CancellationToken, RegistryError, RunnableCapability};
use modkit_tests::{EventLog, FakeGrpcHub, FakeRestHost, RecordingModule};

/// A runnable capability with no module of its own.
struct Idle;

#[modkit::async_trait]
impl RunnableCapability for Idle {
    async fn start(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }

    async fn stop(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn module(builder: &mut RegistryBuilder, name: &'static str, deps: &'static [&'static str]) {
    RecordingModule::new(name, &EventLog::new())
        .deps(deps)
        .register(builder);
}

fn problems_of(builder: RegistryBuilder) -> (Vec<ConfigProblem>, String) {
    match builder.build_topo_sorted() {
        Ok(registry) => panic!("expected the registry to be refused: {registry:?}"),
        Err(error @ RegistryError::InvalidConfiguration { .. }) => {
            (error.problems().to_vec(), error.to_string())
        }
        Err(other) => panic!("expected InvalidConfiguration, got {other:?}"),
    }
}

#[test]
fn an_unknown_dependency_suggests_the_likely_name() {
    let mut builder = RegistryBuilder::default();
    module(&mut builder, "audit", &[]);
    module(&mut builder, "users", &["audti"]);

    let (problems, message) = problems_of(builder);

    assert_eq!(
        problems,
        [ConfigProblem::UnknownDependency {
            module: "users",
            dependency: "audti",
            suggestion: Some("audit"),
        }]
    );
    assert_eq!(
        message,
        "invalid module registry: module `users` depends on `audti`, which is not registered; did you mean `audit`?"
    );
}

#[test]
fn an_unknown_dependency_with_no_likely_name_asks_whether_its_crate_is_linked() {
    let mut builder = RegistryBuilder::default();
    module(&mut builder, "audit", &[]);
    module(&mut builder, "users", &["billing"]);

    let (problems, message) = problems_of(builder);

    assert_eq!(
        problems,
        [ConfigProblem::UnknownDependency {
            module: "users",
            dependency: "billing",
            suggestion: None,
        }]
    );
    assert!(
        message.contains("`billing`, which is not registered") && message.contains("linked"),
        "{message}"
    );
    assert!(!message.contains("did you mean"), "{message}");
}

#[test]
fn a_cycle_is_reported_with_its_whole_path() {
    let mut builder = RegistryBuilder::default();
    module(&mut builder, "c", &["a"]);
    module(&mut builder, "b", &["c"]);
    module(&mut builder, "a", &["b"]);
    // Stuck behind the cycle, but not part of it.
    module(&mut builder, "d", &["a"]);

    let (problems, message) = problems_of(builder);

    assert_eq!(
        problems,
        [ConfigProblem::Cycle {
            path: vec!["a", "b", "c", "a"]
        }]
    );
    assert!(message.contains("`a -> b -> c -> a`"), "{message}");
}

#[test]
fn a_module_depending_on_itself_is_a_cycle() {
    let mut builder = RegistryBuilder::default();
    module(&mut builder, "narcissus", &["narcissus"]);

    let (problems, message) = problems_of(builder);

    assert_eq!(
        problems,
        [ConfigProblem::Cycle {
            path: vec!["narcissus", "narcissus"]
        }]
    );
    assert!(message.contains("`narcissus -> narcissus`"), "{message}");
}

#[test]
fn a_name_registered_twice_is_refused() {
    let mut builder = RegistryBuilder::default();
    module(&mut builder, "users", &[]);
    module(&mut builder, "users", &[]);

    let (problems, message) = problems_of(builder);

    assert_eq!(
        problems,
        [ConfigProblem::DuplicateName {
            name: "users",
            registered_by: vec![None, None]
        }]
    );
    assert!(
        message.contains("`users` is registered more than once"),
        "{message}"
    );
}

#[test]
fn a_capability_without_its_module_is_refused() {
    let mut builder = RegistryBuilder::default();
    builder.register_stateful_with_meta("ghost", Arc::new(Idle));

    let (problems, message) = problems_of(builder);

    assert_eq!(
        problems,
        [ConfigProblem::CapabilityWithoutCore {
            module: "ghost",
            capability: "stateful",
        }]
    );
    assert!(
        message.contains("`ghost`") && message.contains("register_core_with_meta"),
        "{message}"
    );
}

#[test]
fn a_capability_registered_twice_is_refused() {
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("twice", &EventLog::new())
        .stateful()
        .register(&mut builder);
    builder.register_stateful_with_meta("twice", Arc::new(Idle));

    let (problems, message) = problems_of(builder);

    assert_eq!(
        problems,
        [ConfigProblem::DuplicateCapability {
            module: "twice",
            capability: "stateful",
        }]
    );
    assert!(
        message.contains("`twice` registers capability `stateful` more than once"),
        "{message}"
    );
}

#[test]
fn two_rest_hosts_are_refused() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    FakeRestHost::register("gateway-b", &log, &mut builder);
    FakeRestHost::register("gateway-a", &log, &mut builder);

    let (problems, message) = problems_of(builder);

    assert_eq!(
        problems,
        [ConfigProblem::MultipleRestHosts {
            hosts: vec!["gateway-a", "gateway-b"],
        }]
    );
    assert!(message.contains("`gateway-a`, `gateway-b`"), "{message}");
}

#[test]
fn two_grpc_hubs_are_refused() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    FakeGrpcHub::register("hub-b", &log, &mut builder);
    FakeGrpcHub::register("hub-a", &log, &mut builder);

    let (problems, message) = problems_of(builder);

    assert_eq!(
        problems,
        [ConfigProblem::MultipleGrpcHubs {
            hubs: vec!["hub-a", "hub-b"]
        }]
    );
    assert!(message.contains("`hub-a`, `hub-b`"), "{message}");
}

#[test]
fn a_name_that_is_not_kebab_case_is_refused() {
    let mut builder = RegistryBuilder::default();
    module(&mut builder, "Bad_Name", &[]);

    let (problems, message) = problems_of(builder);

    assert_eq!(problems, [ConfigProblem::InvalidName { name: "Bad_Name" }]);
    assert!(
        message.contains("`Bad_Name` is not kebab-case"),
        "{message}"
    );
    assert!(message.contains("use `bad-name`"), "{message}");
}

/// The registry applies the macro's rule: a name starts with a letter.
#[test]
fn a_name_starting_with_a_digit_is_refused_as_the_macro_refuses_it() {
    let mut builder = RegistryBuilder::default();
    module(&mut builder, "2fa", &[]);

    let (problems, _) = problems_of(builder);

    assert_eq!(problems, [ConfigProblem::InvalidName { name: "2fa" }]);
}

#[test]
fn every_problem_is_reported_in_one_error() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    module(&mut builder, "audit", &[]);
    module(&mut builder, "users", &["audti", "billing"]);
    module(&mut builder, "users", &[]);
    module(&mut builder, "Bad_Name", &[]);
    module(&mut builder, "a", &["b"]);
    module(&mut builder, "b", &["a"]);
    module(&mut builder, "narcissus", &["narcissus"]);
    builder.register_stateful_with_meta("ghost", Arc::new(Idle));
    RecordingModule::new("twice", &log)
        .stateful()
        .register(&mut builder);
    builder.register_stateful_with_meta("twice", Arc::new(Idle));
    FakeRestHost::register("gateway-a", &log, &mut builder);
    FakeRestHost::register("gateway-b", &log, &mut builder);
    FakeGrpcHub::register("hub-a", &log, &mut builder);
    FakeGrpcHub::register("hub-b", &log, &mut builder);

    let (problems, message) = problems_of(builder);

    let expected = [
        ConfigProblem::InvalidName { name: "Bad_Name" },
        ConfigProblem::DuplicateName {
            name: "users",
            registered_by: vec![None, None],
        },
        ConfigProblem::UnknownDependency {
            module: "users",
            dependency: "audti",
            suggestion: Some("audit"),
        },
        ConfigProblem::UnknownDependency {
            module: "users",
            dependency: "billing",
            suggestion: None,
        },
        ConfigProblem::Cycle {
            path: vec!["a", "b", "a"],
        },
        ConfigProblem::Cycle {
            path: vec!["narcissus", "narcissus"],
        },
        ConfigProblem::CapabilityWithoutCore {
            module: "ghost",
            capability: "stateful",
        },
        ConfigProblem::DuplicateCapability {
            module: "twice",
            capability: "stateful",
        },
        ConfigProblem::MultipleRestHosts {
            hosts: vec!["gateway-a", "gateway-b"],
        },
        ConfigProblem::MultipleGrpcHubs {
            hubs: vec!["hub-a", "hub-b"],
        },
    ];
    for problem in &expected {
        assert!(
            problems.contains(problem),
            "missing {problem:?} in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");

    let mut lines = message.lines();
    assert_eq!(lines.next(), Some("invalid module registry (10 problems):"));
    let listed: Vec<&str> = lines.collect();
    for problem in &problems {
        let line = format!("  - {problem}");
        assert!(
            listed.contains(&line.as_str()),
            "{line:?} not listed in:\n{message}"
        );
    }
}

/// A module of this crate that takes the name of one in the `modkit_tests` library crate.
#[derive(Debug, Default)]
#[modkit::module(name = "discovered-fixture")]
struct Impostor;

#[modkit::async_trait]
impl modkit::Module for Impostor {
    async fn init(&self, _ctx: &modkit::ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[test]
fn two_modules_with_one_name_are_named_by_type_and_crate() {
    let mut builder = RegistryBuilder::default();
    modkit::registry::register_module::<modkit_tests::discovered::DiscoveredFixture>(&mut builder);
    modkit::registry::register_module::<Impostor>(&mut builder);

    let (problems, message) = problems_of(builder);

    let impostor = concat!(module_path!(), "::Impostor");
    assert_eq!(
        problems,
        [ConfigProblem::DuplicateName {
            name: "discovered-fixture",
            registered_by: vec![
                Some("modkit_tests::discovered::DiscoveredFixture"),
                Some(impostor),
            ],
        }]
    );
    let this_crate = module_path!().split("::").next().unwrap_or_default();
    for expected in [
        "`modkit_tests::discovered::DiscoveredFixture` (crate `modkit_tests`)".to_owned(),
        format!("`{impostor}` (crate `{this_crate}`)"),
    ] {
        assert!(
            message.contains(&expected),
            "`{expected}` missing: {message}"
        );
    }
}
