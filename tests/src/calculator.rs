//! The example calculator placed out of process, as the demo host runs it: a real gRPC hub
//! and directory, the real `calculator-child` binary spawned by a `LocalProcessBackend`,
//! the calculator's remote client in the ClientHub and its REST gateway on a fake REST host.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use modkit::ClientHub;
use modkit::backends::{LocalProcessBackend, LocalProcessOptions};
use modkit::config::ModulesConfig;
use modkit::directory::{DirectoryAccess, HostSecret};
use modkit::grpc_hub::GrpcHub;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{ModuleState, OopSpawnOptions};
use modkit_examples::calculator::{Calculator, CalculatorApi, CalculatorError, CalculatorGateway};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::{EventLog, FakeRestHost, RunningHost, TestHost, loopback_hub, register_grpc_hub};

/// A running host with the calculator in a child process.
#[derive(Debug)]
pub struct OopCalculator {
    /// The host.
    pub host: RunningHost,
    /// What spawned the child.
    pub backend: LocalProcessBackend,
    hub: Arc<GrpcHub>,
    client_hub: Arc<ClientHub>,
    rest_host: Arc<FakeRestHost>,
}

impl OopCalculator {
    /// Starts a host that runs the calculator from `child` (the `calculator-child` binary)
    /// with `runtime` added to `modules.calculator.runtime` and `hub` to the gRPC hub's
    /// config (such as a short `instance_ttl`, or a `tls` section: with a `client_ca_file`
    /// the host and the child speak mutual TLS), and waits until it is ready.
    ///
    /// # Panics
    /// If it does not become ready within [`PATIENCE`](crate::PATIENCE).
    pub async fn start(child: &str, runtime: Value, hub: Value) -> Self {
        let log = EventLog::new();
        let mut builder = RegistryBuilder::default();
        let grpc_hub = register_grpc_hub(&mut builder);
        let rest_host = FakeRestHost::register("rest-host", &log, &mut builder);
        let calculator = Arc::new(Calculator::default());
        builder.register_core_with_meta("calculator", &[], calculator.clone());
        builder.register_grpc_service_with_meta("calculator", calculator);
        let gateway = Arc::new(CalculatorGateway);
        builder.register_core_with_meta("calculator-gateway", &["calculator"], gateway.clone());
        builder.register_rest_with_meta("calculator-gateway", gateway);

        let mut section = json!({ "type": "oop", "execution": { "binary": child } });
        if let (Some(section), Value::Object(extra)) = (section.as_object_mut(), runtime) {
            section.extend(extra);
        }
        // The hub listens because the calculator runs out of process, not because the
        // fixture says `always`.
        let mut hub_section = json!({ "listen": "when_needed" });
        if let (Some(section), Value::Object(extra)) = (hub_section.as_object_mut(), hub) {
            section.extend(extra);
        }
        let config = loopback_hub(ModulesConfig::empty(), hub_section.clone())
            .with_module_runtime("calculator", section);
        // The hub adopts the host's secret from the ClientHub; the backend hands it to the
        // child.
        let secret = HostSecret::generate();
        let client_hub = Arc::new(ClientHub::new());
        // A hub that requires client certificates: host and child speak mutual TLS, with
        // the hub's certificate (as the bootstrap sets it up).
        let options = LocalProcessOptions {
            tls: hub_section
                .get("tls")
                .filter(|tls| tls.get("client_ca_file").is_some())
                .cloned(),
            ..LocalProcessOptions::default()
        };
        let backend =
            LocalProcessBackend::with_options(Arc::new(config.clone()), secret.expose(), options);
        client_hub.register::<HostSecret>(Arc::new(secret));
        let host = TestHost::new(builder)
            .client_hub(Arc::clone(&client_hub))
            .config(config)
            .oop(OopSpawnOptions {
                modules: vec!["calculator".to_owned()],
                backend: Arc::new(backend.clone()),
            })
            .spawn();
        assert!(host.wait_ready().await, "{:#?}", host.report().snapshot());
        Self {
            host,
            backend,
            hub: grpc_hub,
            client_hub,
            rest_host,
        }
    }

    /// `a + b` through the calculator's client in the ClientHub, as a dependent calls it.
    ///
    /// # Panics
    /// If the ClientHub has no calculator.
    pub async fn add(&self, a: i64, b: i64) -> Result<i64, CalculatorError> {
        let calculator = self.client_hub.get::<dyn CalculatorApi>().unwrap();
        calculator.add(a, b).await
    }

    /// `GET /v1/calc/add?a=..&b=..` through the gateway: the status and the JSON body.
    ///
    /// # Panics
    /// If the rest phase did not run or the body is not JSON.
    pub async fn get_add(&self, a: i64, b: i64) -> (StatusCode, Value) {
        let router = self.rest_host.final_router().expect("the rest phase ran");
        let request = Request::get(format!("/v1/calc/add?a={a}&b={b}"))
            .body(Body::empty())
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, serde_json::from_slice(&body).unwrap())
    }

    /// The calculator's state in the host's report.
    pub fn state(&self) -> Option<ModuleState> {
        self.host.report().module_state("calculator")
    }

    /// The pid of the calculator's current child.
    ///
    /// # Panics
    /// If no child is starting or running.
    pub fn child_pid(&self) -> u32 {
        self.backend.pid("calculator").expect("a child runs")
    }

    /// Where the host's directory listens, and its secret.
    ///
    /// # Panics
    /// If the hub has not started.
    pub fn directory(&self) -> DirectoryAccess {
        self.hub.directory_access().expect("the hub runs")
    }
}
