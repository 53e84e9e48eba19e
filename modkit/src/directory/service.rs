//! The directory's gRPC service, over an [`InstanceTable`].

use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use futures_util::Stream;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use super::proto::directory_service_server::{DirectoryService, DirectoryServiceServer};
use super::proto::{
    DeregisterRequest, DeregisterResponse, Endpoint, HeartbeatRequest, HeartbeatResponse,
    InstanceKey, RegisterRequest, RegisterResponse, ResolveRequest, ResolveResponse, WatchRequest,
    WatchResponse,
};
use super::registry::{InstanceTable, Refusal};
use super::{HOST_SECRET_METADATA, HostSecret, InstanceInfo, ServiceEndpoint};

/// Serves the host's [`InstanceTable`]; every change needs the host's secret.
#[derive(Debug, Clone)]
pub(crate) struct HostDirectory {
    table: Arc<InstanceTable>,
    secret: HostSecret,
    /// Ends every watch, so that the server's drain at shutdown does not wait for them.
    shutdown: CancellationToken,
}

/// The stream of a `Watch` call's answers.
type WatchStream = Pin<Box<dyn Stream<Item = Result<WatchResponse, Status>> + Send>>;

/// What a `Watch` call follows.
#[derive(Debug, Clone)]
enum Watched {
    Service(String),
    Module(String),
}

impl HostDirectory {
    pub(crate) fn new(
        table: Arc<InstanceTable>,
        secret: HostSecret,
        shutdown: CancellationToken,
    ) -> Self {
        Self {
            table,
            secret,
            shutdown,
        }
    }

    pub(crate) fn into_service(self) -> DirectoryServiceServer<Self> {
        DirectoryServiceServer::new(self)
    }

    fn authorize<T>(&self, request: &Request<T>, operation: &str) -> Result<(), Status> {
        let offered = request
            .metadata()
            .get(HOST_SECRET_METADATA)
            .and_then(|value| value.to_str().ok());
        match offered {
            Some(offered) if self.secret.matches(offered) => Ok(()),
            Some(_) => {
                tracing::warn!(
                    operation,
                    "directory request with a wrong host secret refused"
                );
                Err(Status::unauthenticated(format!(
                    "`{operation}` refused: wrong host secret"
                )))
            }
            None => {
                tracing::warn!(operation, "directory request without a host secret refused");
                Err(Status::unauthenticated(format!(
                    "`{operation}` refused: no host secret in `{HOST_SECRET_METADATA}`"
                )))
            }
        }
    }
}

/// One watch: the live endpoints now, then after each change that alters them.
struct Watch {
    table: Arc<InstanceTable>,
    watched: Watched,
    changes: watch::Receiver<u64>,
    shutdown: CancellationToken,
    /// What was last sent; `None` before the first answer.
    sent: Option<Vec<ServiceEndpoint>>,
}

impl Watch {
    fn live(&self) -> Vec<ServiceEndpoint> {
        let now = Instant::now();
        match &self.watched {
            Watched::Service(service) => self.table.resolve(service, now),
            Watched::Module(module) => self.table.instances_of(module, now),
        }
    }

    /// The next answer, or `None` once the host stops.
    async fn next(&mut self) -> Option<WatchResponse> {
        loop {
            if self.sent.is_some() {
                tokio::select! {
                    () = self.shutdown.cancelled() => return None,
                    changed = self.changes.changed() => changed.ok()?,
                }
            }
            let live = self.live();
            if self.sent.as_ref() != Some(&live) {
                self.sent = Some(live.clone());
                let endpoints = live.into_iter().map(Endpoint::from).collect();
                return Some(WatchResponse { endpoints });
            }
        }
    }
}

impl From<ServiceEndpoint> for Endpoint {
    fn from(endpoint: ServiceEndpoint) -> Self {
        Self {
            module: endpoint.module,
            instance_id: endpoint.instance_id,
            endpoint: endpoint.endpoint,
        }
    }
}

fn key(instance: Option<InstanceKey>) -> Result<InstanceKey, Status> {
    instance.ok_or_else(|| Status::invalid_argument("the request names no instance"))
}

fn status(refusal: Refusal) -> Status {
    match refusal {
        Refusal::Invalid { .. } => Status::invalid_argument(refusal.to_string()),
        Refusal::Taken { .. } => Status::already_exists(refusal.to_string()),
        Refusal::Unknown { .. } => Status::not_found(refusal.to_string()),
    }
}

#[tonic::async_trait]
impl DirectoryService for HostDirectory {
    async fn register(
        &self,
        request: Request<RegisterRequest>,
    ) -> Result<Response<RegisterResponse>, Status> {
        self.authorize(&request, "register")?;
        let instance = request
            .into_inner()
            .instance
            .ok_or_else(|| Status::invalid_argument("the request carries no instance"))?;
        let info = InstanceInfo::from(instance);
        let (module, instance_id, endpoint) = (
            info.module.clone(),
            info.instance_id.clone(),
            info.endpoint.clone(),
        );
        let lease = self.table.register(info, Instant::now()).map_err(status)?;
        tracing::info!(%module, %instance_id, %endpoint, "instance registered with the directory");
        Ok(Response::new(RegisterResponse {
            ttl_ms: millis(lease.ttl),
            heartbeat_interval_ms: millis(lease.heartbeat_interval),
        }))
    }

    async fn heartbeat(
        &self,
        request: Request<HeartbeatRequest>,
    ) -> Result<Response<HeartbeatResponse>, Status> {
        self.authorize(&request, "heartbeat")?;
        let request = request.into_inner();
        let serving = !request.not_serving;
        let key = key(request.instance)?;
        self.table
            .heartbeat(&key.module, &key.instance_id, serving, Instant::now())
            .map_err(status)?;
        Ok(Response::new(HeartbeatResponse {}))
    }

    async fn deregister(
        &self,
        request: Request<DeregisterRequest>,
    ) -> Result<Response<DeregisterResponse>, Status> {
        self.authorize(&request, "deregister")?;
        let key = key(request.into_inner().instance)?;
        if self.table.deregister(&key.module, &key.instance_id) {
            tracing::info!(module = %key.module, instance_id = %key.instance_id, "instance deregistered from the directory");
        }
        Ok(Response::new(DeregisterResponse {}))
    }

    async fn resolve(
        &self,
        request: Request<ResolveRequest>,
    ) -> Result<Response<ResolveResponse>, Status> {
        let service = request.into_inner().service_name;
        let endpoints = self
            .table
            .resolve(&service, Instant::now())
            .into_iter()
            .map(Endpoint::from)
            .collect();
        Ok(Response::new(ResolveResponse { endpoints }))
    }

    type WatchStream = WatchStream;

    async fn watch(
        &self,
        request: Request<WatchRequest>,
    ) -> Result<Response<Self::WatchStream>, Status> {
        let WatchRequest {
            service_name,
            module,
        } = request.into_inner();
        let watched = match (service_name.is_empty(), module.is_empty()) {
            (false, true) => Watched::Service(service_name),
            (true, false) => Watched::Module(module),
            _ => {
                return Err(Status::invalid_argument(
                    "a watch names exactly one of `service_name` and `module`",
                ));
            }
        };
        let watch = Watch {
            table: Arc::clone(&self.table),
            watched,
            changes: self.table.subscribe(),
            shutdown: self.shutdown.clone(),
            sent: None,
        };
        let answers = futures_util::stream::unfold(watch, |mut watch| async move {
            let answer = watch.next().await?;
            Some((Ok(answer), watch))
        });
        Ok(Response::new(Box::pin(answers)))
    }
}

fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
