//! The real `api-gateway` on `127.0.0.1:0`, with a loopback HTTP client.

use std::net::SocketAddr;
use std::sync::Arc;

use modkit::api_gateway::ApiGateway;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::runtime::RuntimeReportHandle;
use modkit::{ClientHub, DbOptions, RuntimeOptions};

use crate::db::TestDb;
use crate::test_host::{Finished, RunningHost, TestHost};

/// Registers a fresh `api-gateway` (core, `rest_host`, `stateful`, `system`), as
/// `#[modkit::module]` would, and returns it so that the test can read its bound address.
pub fn register_gateway(builder: &mut RegistryBuilder) -> Arc<ApiGateway> {
    let gateway = Arc::new(ApiGateway::default());
    builder.register_core_with_meta("api-gateway", &[], gateway.clone());
    builder.register_rest_host_with_meta("api-gateway", gateway.clone());
    builder.register_stateful_with_meta("api-gateway", gateway.clone());
    builder.register_system_with_meta("api-gateway", gateway.clone());
    gateway
}

/// `modules` with `modules.api-gateway.config.bind_addr` set to `127.0.0.1:0` unless it
/// is set already.
pub fn with_loopback_gateway(mut modules: serde_json::Value) -> ModulesConfig {
    let gateway = &mut modules["api-gateway"]["config"];
    if gateway.get("bind_addr").is_none() {
        gateway["bind_addr"] = serde_json::json!("127.0.0.1:0");
    }
    ModulesConfig::new(modules)
}

/// A host with the real `api-gateway`, running and ready.
#[derive(Debug)]
pub struct ServedHost {
    host: RunningHost,
    addr: SocketAddr,
    client: reqwest::Client,
}

impl ServedHost {
    /// Registers the gateway into `builder`, runs the host with `modules` as its module
    /// config (the gateway bound to `127.0.0.1:0` unless `modules` says otherwise) and
    /// waits until it is ready.
    ///
    /// # Panics
    /// If start-up fails.
    pub async fn start(builder: RegistryBuilder, modules: serde_json::Value) -> Self {
        Self::start_with_hub(builder, modules, Arc::new(ClientHub::new())).await
    }

    /// [`start`](Self::start), with `client_hub` as the host's ClientHub.
    ///
    /// # Panics
    /// If start-up fails.
    pub async fn start_with_hub(
        builder: RegistryBuilder,
        modules: serde_json::Value,
        client_hub: Arc<ClientHub>,
    ) -> Self {
        let config = with_loopback_gateway(modules);
        Self::start_host(
            builder,
            config,
            client_hub,
            |_| DbOptions::None,
            RuntimeOptions::default(),
        )
        .await
    }

    /// [`start`](Self::start), with `options` as the host's runtime options.
    ///
    /// # Panics
    /// If start-up fails.
    pub async fn start_with_options(
        builder: RegistryBuilder,
        modules: serde_json::Value,
        options: RuntimeOptions,
    ) -> Self {
        let config = with_loopback_gateway(modules);
        let client_hub = Arc::new(ClientHub::new());
        Self::start_host(builder, config, client_hub, |_| DbOptions::None, options).await
    }

    /// [`start`](Self::start), with `db_modules` keeping their data in `db` (an SQLite
    /// file each under its home, or its PostgreSQL schema).
    ///
    /// # Panics
    /// If start-up fails.
    pub async fn start_with_db(
        builder: RegistryBuilder,
        modules: serde_json::Value,
        db: &TestDb,
        db_modules: &[&str],
    ) -> Self {
        let config = db.with_databases(with_loopback_gateway(modules), db_modules);
        let client_hub = Arc::new(ClientHub::new());
        Self::start_host(
            builder,
            config,
            client_hub,
            |config| db.options(config),
            RuntimeOptions::default(),
        )
        .await
    }

    async fn start_host(
        mut builder: RegistryBuilder,
        config: ModulesConfig,
        client_hub: Arc<ClientHub>,
        db: impl FnOnce(&ModulesConfig) -> DbOptions,
        options: RuntimeOptions,
    ) -> Self {
        let gateway = register_gateway(&mut builder);
        let host = TestHost::new(builder)
            .options(options)
            .db(db(&config))
            .config(config)
            .client_hub(client_hub)
            .spawn();
        if !host.wait_ready().await {
            let finished = host.finish().await;
            panic!(
                "the host did not start: {}",
                crate::error_chain(finished.error())
            );
        }
        let addr = gateway
            .handle()
            .local_addr()
            .expect("a ready gateway has bound its address");
        Self {
            host,
            addr,
            client: reqwest::Client::new(),
        }
    }

    /// The gateway's bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A client for the gateway.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// `GET <path>`, bounded.
    ///
    /// # Panics
    /// If the request cannot be sent.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        let request = self.client.get(self.url(path)).send();
        crate::within(&format!("GET {path}"), request)
            .await
            .unwrap_or_else(|error| panic!("GET {path} failed: {error}"))
    }

    /// The live runtime report.
    pub fn report(&self) -> &RuntimeReportHandle {
        self.host.report()
    }

    /// The running host, to cancel or finish it.
    pub fn into_host(self) -> RunningHost {
        self.host
    }

    /// Cancels the host and waits for it to return.
    pub async fn shut_down(self) -> Finished {
        self.host.shut_down().await
    }
}
