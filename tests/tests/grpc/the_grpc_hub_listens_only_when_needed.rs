//! With its default `listen: when_needed`, the gRPC hub binds its port only if the host needs
//! it: some module serves gRPC, modules run out of process (the host has `OopSpawnOptions`),
//! or the host put its secret into the ClientHub for children to register with. With none
//! of these it binds nothing; `listen: always` binds all the same.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use modkit::config::ModulesConfig;
use modkit::directory::HostSecret;
use modkit::grpc_hub::GrpcHub;
use modkit::oop::{OopBackend, OopSpawnRequest};
use modkit::registry::RegistryBuilder;
use modkit::runtime::OopSpawnOptions;
use modkit::{ClientHub, GrpcHubCapability};
use modkit_tests::{EventLog, ServiceModule, TestHost, register_grpc_hub};
use serde_json::json;

/// The hub's config section: a free loopback port, and `extra`.
fn hub_config(extra: serde_json::Value) -> ModulesConfig {
    let mut section = json!({ "bind_addr": "127.0.0.1:0" });
    if let (Some(section), serde_json::Value::Object(extra)) = (section.as_object_mut(), extra) {
        section.extend(extra);
    }
    ModulesConfig::empty().with_module_config("grpc-hub", section)
}

/// Runs `host` until it is ready and returns the hub's endpoint then, shutting it down.
async fn endpoint_when_ready(host: TestHost, hub: &GrpcHub) -> Option<String> {
    let running = host.spawn();
    assert!(
        running.wait_ready().await,
        "{:#?}",
        running.report().snapshot()
    );
    let endpoint = hub.bound_endpoint();
    running.shut_down().await.assert_ok();
    endpoint
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_nothing_to_serve_the_hub_binds_nothing() {
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    let host = TestHost::new(builder).config(hub_config(json!({})));
    assert_eq!(endpoint_when_ready(host, &hub).await, None);
    assert!(hub.directory_access().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_always_binds_with_nothing_to_serve() {
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    let host = TestHost::new(builder).config(hub_config(json!({ "listen": "always" })));
    let endpoint = endpoint_when_ready(host, &hub).await;
    assert!(endpoint.is_some_and(|e| e.starts_with("http://127.0.0.1:")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_serving_grpc_makes_the_hub_bind() {
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    ServiceModule::register("echo", &["test.v1.Echo"], &EventLog::new(), &mut builder);
    let host = TestHost::new(builder).config(hub_config(json!({})));
    assert!(endpoint_when_ready(host, &hub).await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_given_host_secret_makes_the_hub_bind() {
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    let client_hub = Arc::new(ClientHub::new());
    client_hub.register::<HostSecret>(Arc::new(HostSecret::generate()));
    let host = TestHost::new(builder)
        .client_hub(client_hub)
        .config(hub_config(json!({})));
    assert!(endpoint_when_ready(host, &hub).await.is_some());
}

/// A backend that starts nothing and keeps the directory endpoint each spawn was told.
#[derive(Default)]
struct RecordingBackend {
    endpoints: Mutex<Vec<String>>,
}

#[modkit::async_trait]
impl OopBackend for RecordingBackend {
    async fn spawn(&self, request: OopSpawnRequest) -> anyhow::Result<()> {
        self.endpoints
            .lock()
            .unwrap()
            .push(request.directory_endpoint);
        Ok(())
    }

    async fn stop_all(&self, _grace: Duration) {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_process_modules_make_the_hub_bind_and_children_get_its_endpoint() {
    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    let backend = Arc::new(RecordingBackend::default());
    let host = TestHost::new(builder)
        .config(hub_config(json!({})))
        .oop(OopSpawnOptions {
            modules: vec!["elsewhere".to_owned()],
            backend: backend.clone(),
        });
    let running = host.spawn();
    assert!(
        running.wait_ready().await,
        "{:#?}",
        running.report().snapshot()
    );
    let endpoint = hub.bound_endpoint().expect("the hub binds for the child");
    assert_eq!(*backend.endpoints.lock().unwrap(), [endpoint]);
    running.shut_down().await.assert_ok();
}
