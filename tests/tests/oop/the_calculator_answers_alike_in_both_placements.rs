//! The same caller code gets the same answers from the calculator placed in the host
//! (`runtime.type: local`) and in a real child process (`runtime.type: oop`, the
//! `calculator-child` binary spawned by the `LocalProcessBackend`): through the ClientHub,
//! through `GET /v1/calc/add`, and from a dependent's `start`, which runs only once the
//! child is registered. Placed out of process, the calculator's hooks never run in the host,
//! and the child is gone once the host has stopped.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::directory::{DirectoryClient, HostSecret};
use modkit::registry::RegistryBuilder;
use modkit::runtime::OopSpawnOptions;
use modkit::{CancellationToken, ClientHub, ConfigProvider, Module, ModuleCtx, RunnableCapability};
use modkit_examples::calculator::{
    Calculator, CalculatorApi, CalculatorError, CalculatorGateway, CalculatorGrpcClient,
    SERVICE_NAME,
};
use modkit_tests::{
    EventLog, FakeRestHost, PATIENCE, TestHost, loopback_hub, oop_section, register_grpc_hub,
    wait_until_gone, within,
};
use tower::ServiceExt;

const CHILD: &str = env!("CARGO_BIN_EXE_calculator-child");

const SUMS: &[(i64, i64)] = &[(2, 3), (-7, 7), (i64::MAX, 1), (i64::MIN, -1), (40, 2)];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    Local,
    Oop,
}

/// A module that calls the calculator in its own `start`.
#[derive(Debug, Default)]
struct CallsAtStart {
    ctx: Mutex<Option<ModuleCtx>>,
    answer: Mutex<Option<Result<i64, CalculatorError>>>,
}

#[modkit::async_trait]
impl Module for CallsAtStart {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        *self.ctx.lock().unwrap() = Some(ctx.clone());
        Ok(())
    }
}

#[modkit::async_trait]
impl RunnableCapability for CallsAtStart {
    async fn start(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        let ctx = self.ctx.lock().unwrap().clone().expect("init ran");
        let calculator = ctx.client_hub().get::<dyn CalculatorApi>()?;
        *self.answer.lock().unwrap() = Some(calculator.add(40, 2).await);
        Ok(())
    }

    async fn stop(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

struct Outcome {
    through_client_hub: Vec<Result<i64, CalculatorError>>,
    through_rest: Vec<(StatusCode, serde_json::Value)>,
    at_dependent_start: Option<Result<i64, CalculatorError>>,
    resolved_module: Vec<String>,
    hub_endpoint: String,
    resolved_endpoint: String,
    calculator_initialised_in_host: bool,
    child_pid: Option<u32>,
}

async fn run(placement: Placement) -> Outcome {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    let rest_host = FakeRestHost::register("rest-host", &log, &mut builder);
    let calculator = Arc::new(Calculator::default());
    builder.register_core_with_meta("calculator", &[], calculator.clone());
    builder.register_grpc_service_with_meta("calculator", calculator.clone());
    let gateway = Arc::new(CalculatorGateway);
    builder.register_core_with_meta("calculator-gateway", &["calculator"], gateway.clone());
    builder.register_rest_with_meta("calculator-gateway", gateway);
    let caller = Arc::new(CallsAtStart::default());
    builder.register_core_with_meta("calls-at-start", &["calculator"], caller.clone());
    builder.register_stateful_with_meta("calls-at-start", caller.clone());

    let client_hub = Arc::new(ClientHub::new());
    let mut config = loopback_hub(ModulesConfig::empty(), serde_json::json!({}));
    let mut host = TestHost::new(builder).client_hub(Arc::clone(&client_hub));
    let mut backend = None;
    if placement == Placement::Oop {
        let section = oop_section(CHILD, &[], serde_json::Value::Null);
        config = config.with_module_runtime("calculator", section["runtime"].clone());
        // The hub adopts the host's secret from the ClientHub; the backend hands it to
        // the child.
        let secret = HostSecret::generate();
        let modules: Arc<dyn ConfigProvider> = Arc::new(config.clone());
        let spawner = LocalProcessBackend::new(modules, secret.expose().to_owned());
        client_hub.register::<HostSecret>(Arc::new(secret));
        host = host.oop(OopSpawnOptions {
            modules: vec!["calculator".to_owned()],
            backend: Arc::new(spawner.clone()),
        });
        backend = Some(spawner);
    }
    let host = host.config(config).spawn();
    assert!(
        within("the host to start", host.wait_ready()).await,
        "{placement:?}"
    );

    // The caller's code is the same for both placements.
    let api = client_hub.get::<dyn CalculatorApi>().unwrap();
    let mut through_client_hub = Vec::new();
    for &(a, b) in SUMS {
        through_client_hub.push(api.add(a, b).await);
    }
    let router = rest_host.final_router().expect("the rest phase ran");
    let mut through_rest = Vec::new();
    for &(a, b) in SUMS {
        let request = Request::get(format!("/v1/calc/add?a={a}&b={b}"))
            .body(Body::empty())
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        through_rest.push((status, serde_json::from_slice(&body).unwrap()));
    }

    let access = hub.directory_access().unwrap();
    let directory = DirectoryClient::connect(&access.endpoint).await.unwrap();
    let resolved = directory.resolve(SERVICE_NAME).await.unwrap();
    // The gRPC client through the directory answers the same, wherever the calculator is.
    let remote = CalculatorGrpcClient::through_directory(directory);
    for (&(a, b), expected) in SUMS.iter().zip(&through_client_hub) {
        assert_eq!(
            &remote.add(a, b).await,
            expected,
            "{placement:?}: {a} + {b}"
        );
    }

    let outcome = Outcome {
        through_client_hub,
        through_rest,
        at_dependent_start: caller.answer.lock().unwrap().clone(),
        resolved_module: resolved.iter().map(|e| e.module.clone()).collect(),
        hub_endpoint: access.endpoint,
        resolved_endpoint: resolved
            .first()
            .map(|e| e.endpoint.clone())
            .unwrap_or_default(),
        calculator_initialised_in_host: format!("{calculator:?}").contains("initialised: true"),
        child_pid: backend.as_ref().and_then(|b| b.pid("calculator")),
    };
    within("the host to stop", host.shut_down())
        .await
        .assert_ok();
    if let Some(pid) = outcome.child_pid {
        assert!(
            wait_until_gone(pid, PATIENCE).await,
            "the child {pid} outlived its host"
        );
    }
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_placements_give_the_same_answers() {
    let local = run(Placement::Local).await;
    let oop = run(Placement::Oop).await;

    assert_eq!(local.through_client_hub[0], Ok(5));
    assert_eq!(
        local.through_client_hub[2],
        Err(CalculatorError::Overflow { a: i64::MAX, b: 1 })
    );
    assert_eq!(oop.through_client_hub, local.through_client_hub);

    assert_eq!(
        local.through_rest[0],
        (StatusCode::OK, serde_json::json!({ "result": 5 }))
    );
    assert_eq!(local.through_rest[2].0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(oop.through_rest, local.through_rest);

    assert_eq!(local.at_dependent_start, Some(Ok(42)));
    assert_eq!(
        oop.at_dependent_start,
        Some(Ok(42)),
        "a dependent starts only once the child is registered"
    );

    // In-process, the hub serves the calculator; out of process, only the child does and
    // the linked module never ran in the host.
    assert!(local.calculator_initialised_in_host);
    assert!(local.child_pid.is_none());
    assert_eq!(local.resolved_module, ["calculator"]);
    assert_eq!(local.resolved_endpoint, local.hub_endpoint);
    assert!(!oop.calculator_initialised_in_host);
    assert!(
        oop.child_pid.is_some(),
        "the calculator ran in a child process"
    );
    assert_eq!(oop.resolved_module, ["calculator"]);
    assert_ne!(oop.resolved_endpoint, oop.hub_endpoint);
}
