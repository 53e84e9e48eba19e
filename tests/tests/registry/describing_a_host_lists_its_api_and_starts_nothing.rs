//! `HostRuntime::describe` runs the registration hooks and reports what they registered:
//! each module's REST routes (with operation ids) and gRPC services, out-of-process modules
//! included, while no module starts, no server binds and tasks spawned by `init` end.

use std::sync::Arc;

use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{DescribedRoute, DescribedService, HostState};
use modkit::{CancellationToken, ClientHub, DbOptions, GrpcHubCapability, HostRuntime};
use modkit_examples::calculator::{Calculator, SERVICE_NAME};
use modkit_tests::{
    EventLog, ProbeApi, RecordingModule, init, register_gateway, register_grpc_hub, start,
    task_ended, within,
};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn describing_a_host_lists_its_api_and_starts_nothing() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    let gateway = register_gateway(&mut builder);
    let hub = register_grpc_hub(&mut builder);
    ProbeApi::register(&mut builder);
    let calculator = Arc::new(Calculator::default());
    builder.register_core_with_meta("calculator", &[], calculator.clone());
    builder.register_grpc_service_with_meta("calculator", calculator);
    RecordingModule::new("worker", &log)
        .stateful()
        .spawn_cooperative_task("poller")
        .register(&mut builder);

    // Ports that would fail if anything bound them twice; the calculator placed out of
    // process, in a host with no backend to spawn it.
    let config = ModulesConfig::new(json!({
        "api-gateway": { "config": { "bind_addr": "127.0.0.1:0" } },
        "grpc-hub": { "config": { "bind_addr": "127.0.0.1:0" } },
        "calculator": { "runtime": { "type": "oop" } },
    }));
    let host = HostRuntime::new(
        builder.build_topo_sorted().unwrap(),
        Arc::new(config),
        DbOptions::None,
        Arc::new(ClientHub::new()),
        CancellationToken::new(),
        uuid::Uuid::new_v4(),
        None,
    );
    let report = host.report();
    let api = within("describe", host.describe()).await.unwrap();

    let probe = |method: &str, path: &str, id: &str| DescribedRoute {
        module: "probe-api".to_owned(),
        method: method.to_owned(),
        path: path.to_owned(),
        operation_id: Some(id.to_owned()),
    };
    let routes: Vec<_> = api.routes_of("probe-api").cloned().collect();
    assert!(
        routes.contains(&probe("GET", "/items/{id}", "probe.get_item")),
        "{routes:#?}"
    );
    assert!(
        routes.contains(&probe("POST", "/items", "probe.create_item")),
        "{routes:#?}"
    );
    let own: Vec<_> = api
        .routes_of("api-gateway")
        .map(|r| r.path.as_str())
        .collect();
    assert!(
        own.contains(&"/readyz") && own.contains(&"/openapi.json"),
        "{own:?}"
    );
    assert_eq!(
        api.grpc,
        [DescribedService {
            module: "calculator".to_owned(),
            service: SERVICE_NAME.to_owned(),
        }]
    );

    // Nothing started or bound, and the init-time task ended.
    log.assert_subsequence(&[init("worker"), task_ended("worker", "poller")]);
    assert_eq!(log.position(start("worker")), None);
    assert_eq!(gateway.handle().local_addr(), None);
    assert_eq!(hub.bound_endpoint(), None);
    assert_eq!(report.snapshot().host_state, HostState::Stopped);
}

/// A module that takes its pool in `init` (`ctx.db_required()`, as docs/database.md
/// prescribes) can be described: it gets its pool, unmigrated and unopened, and no database
/// file is made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_that_requires_its_database_in_init_can_be_described() {
    let home = modkit_tests::TempHome::new();
    let mut builder = RegistryBuilder::default();
    let probe = modkit_tests::DbModule::new("notes", modkit_tests::table_migrations(2))
        .register(&mut builder);
    let config = ModulesConfig::empty();
    let host = HostRuntime::new(
        builder.build_topo_sorted().unwrap(),
        Arc::new(config.clone()),
        home.manager(&config),
        Arc::new(ClientHub::new()),
        CancellationToken::new(),
        uuid::Uuid::new_v4(),
        None,
    );

    within("describe", host.describe()).await.unwrap();

    assert_eq!(probe.inits(), 1);
    let provider = probe
        .provider()
        .expect("`init` found its pool, so `ctx.db_required()` succeeds");
    assert_eq!(provider.module(), "notes");
    let made: Vec<_> = std::fs::read_dir(home.path())
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|entry| {
            std::fs::read_dir(entry.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|entry| entry.path())
        .collect();
    assert!(made.is_empty(), "describing made database files: {made:?}");
}
