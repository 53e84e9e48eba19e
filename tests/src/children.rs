//! An out-of-process spawner whose "children" are tonic servers inside the test process.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use modkit::directory::{DirectoryAccess, DirectoryClient, InstanceInfo};
use modkit::oop::{OopBackend, OopSpawnRequest};
use modkit::{CancellationToken, ClientHub};
use tokio::task::JoinHandle;
use tonic::service::Routes;

/// Stands in for the process backend: `spawn(module)` serves the module's routes on a free
/// loopback port and registers them with the host's directory, with the secret the host's
/// gRPC hub published in the ClientHub, exactly as a child process would; `stop_all`
/// deregisters and stops them.
pub struct InProcessChildren {
    client_hub: Arc<ClientHub>,
    children: HashMap<&'static str, Child>,
    running: Mutex<Vec<(CancellationToken, JoinHandle<()>)>>,
    spawned: Mutex<Vec<String>>,
}

struct Child {
    services: Vec<String>,
    routes: fn() -> Routes,
}

impl InProcessChildren {
    /// Children of the host whose ClientHub is `client_hub`.
    pub fn new(client_hub: &Arc<ClientHub>) -> Self {
        Self {
            client_hub: Arc::clone(client_hub),
            children: HashMap::new(),
            running: Mutex::new(Vec::new()),
            spawned: Mutex::new(Vec::new()),
        }
    }

    /// Module `module`'s child serves `routes`, offering `services`.
    pub fn child(
        mut self,
        module: &'static str,
        services: &[&str],
        routes: fn() -> Routes,
    ) -> Self {
        let services = services.iter().map(|&s| s.to_owned()).collect();
        self.children.insert(module, Child { services, routes });
        self
    }

    /// The modules spawned so far, in order.
    pub fn spawned(&self) -> Vec<String> {
        self.spawned
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl fmt::Debug for InProcessChildren {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InProcessChildren")
            .field("spawned", &self.spawned())
            .finish_non_exhaustive()
    }
}

#[modkit::async_trait]
impl OopBackend for InProcessChildren {
    async fn spawn(&self, request: OopSpawnRequest) -> anyhow::Result<()> {
        let module = request.module.as_str();
        let directory_endpoint = request.directory_endpoint.as_str();
        let child = self
            .children
            .get(module)
            .ok_or_else(|| anyhow::anyhow!("no child for module `{module}`"))?;
        let access = self.client_hub.get::<DirectoryAccess>()?;
        anyhow::ensure!(
            access.endpoint == directory_endpoint,
            "the spawner was told `{directory_endpoint}` but the hub published `{}`",
            access.endpoint
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let endpoint = format!("http://{}", listener.local_addr()?);
        let stop = CancellationToken::new();
        let server = tonic::transport::Server::builder()
            .add_routes((child.routes)())
            .serve_with_incoming_shutdown(
                tonic::transport::server::TcpIncoming::from(listener),
                stop.clone().cancelled_owned(),
            );
        let instance = InstanceInfo {
            module: module.to_owned(),
            instance_id: uuid::Uuid::new_v4().to_string(),
            services: child.services.clone(),
            endpoint,
        };
        let directory = DirectoryClient::connect(directory_endpoint).await?;
        // Registered before `spawn` returns: the host starts dependents right after.
        directory.register(&access.secret, &instance).await?;
        let registration = stop.clone();
        let task = tokio::spawn(async move {
            let keep = directory.keep_registered(&access.secret, &instance, registration);
            let (served, _) = tokio::join!(server, keep);
            if let Err(error) = served {
                tracing::error!(%error, "in-process child failed");
            }
        });
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((stop, task));
        self.spawned
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(module.to_owned());
        Ok(())
    }

    async fn stop_all(&self, grace: Duration) {
        let running = std::mem::take(&mut *self.running.lock().unwrap_or_else(|p| p.into_inner()));
        for (stop, task) in running {
            stop.cancel();
            let _ = tokio::time::timeout(grace, task).await;
        }
    }
}
