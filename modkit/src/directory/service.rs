//! The directory's gRPC service, over an [`InstanceTable`].

use std::sync::Arc;
use std::time::Instant;

use tonic::{Request, Response, Status};

use super::proto::directory_service_server::{DirectoryService, DirectoryServiceServer};
use super::proto::{
    DeregisterRequest, DeregisterResponse, Endpoint, HeartbeatRequest, HeartbeatResponse,
    InstanceKey, RegisterRequest, RegisterResponse, ResolveRequest, ResolveResponse,
};
use super::registry::{InstanceTable, Refusal};
use super::{HOST_SECRET_METADATA, HostSecret, InstanceInfo};

/// Serves the host's [`InstanceTable`]; every change needs the host's secret.
#[derive(Debug, Clone)]
pub(crate) struct HostDirectory {
    table: Arc<InstanceTable>,
    secret: HostSecret,
}

impl HostDirectory {
    pub(crate) fn new(table: Arc<InstanceTable>, secret: HostSecret) -> Self {
        Self { table, secret }
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
        let key = key(request.into_inner().instance)?;
        self.table
            .heartbeat(&key.module, &key.instance_id, Instant::now())
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
            .map(|endpoint| Endpoint {
                module: endpoint.module,
                instance_id: endpoint.instance_id,
                endpoint: endpoint.endpoint,
            })
            .collect();
        Ok(Response::new(ResolveResponse { endpoints }))
    }
}

fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
