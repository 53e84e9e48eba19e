use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tonic::metadata::MetadataValue;
use tonic::transport::{Channel, Endpoint};
use tonic::{Request, Streaming};

use super::proto::directory_service_client::DirectoryServiceClient;
use super::proto::{
    DeregisterRequest, HeartbeatRequest, InstanceKey, RegisterRequest, ResolveRequest,
    WatchRequest, WatchResponse,
};
use super::{
    DirectoryError, HOST_SECRET_METADATA, HostSecret, InstanceInfo, Lease, ServiceEndpoint,
};

/// How long a deregistration at shutdown may take before it is given up.
const DEREGISTER_TIMEOUT: Duration = Duration::from_secs(2);

/// A client of the host's directory, for out-of-process children (register, heartbeat,
/// deregister) and for SDK clients that look services up (resolve).
///
/// Cheap to clone; clones share one HTTP/2 connection.
///
/// ```
/// use modkit::directory::DirectoryClient;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), modkit::directory::DirectoryError> {
/// // Connects on first use, so this works with nothing listening yet.
/// let directory = DirectoryClient::connect_lazy("http://127.0.0.1:50051")?;
/// assert_eq!(directory.endpoint(), "http://127.0.0.1:50051");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct DirectoryClient {
    endpoint: String,
    inner: DirectoryServiceClient<Channel>,
}

impl DirectoryClient {
    /// Connects to the directory at `endpoint` (`http://127.0.0.1:50051`).
    pub async fn connect(endpoint: &str) -> Result<Self, DirectoryError> {
        let channel =
            parse(endpoint)?
                .connect()
                .await
                .map_err(|source| DirectoryError::Connect {
                    endpoint: endpoint.to_owned(),
                    source,
                })?;
        Ok(Self::with_channel(endpoint, channel))
    }

    /// A client that connects on its first call (and reconnects after failures). Call it
    /// within a Tokio runtime.
    pub fn connect_lazy(endpoint: &str) -> Result<Self, DirectoryError> {
        Self::connect_lazy_with(endpoint, None)
    }

    /// [`connect_lazy`](Self::connect_lazy), calling an `https://` endpoint with `tls`
    /// (mutual TLS with the host's hub).
    pub fn connect_lazy_with(
        endpoint: &str,
        tls: Option<&super::GrpcClientTls>,
    ) -> Result<Self, DirectoryError> {
        let parsed = super::client_tls::with_tls(parse(endpoint)?, tls).map_err(|error| {
            DirectoryError::InvalidEndpoint {
                endpoint: endpoint.to_owned(),
                reason: error.to_string(),
            }
        })?;
        Ok(Self::with_channel(endpoint, parsed.connect_lazy()))
    }

    fn with_channel(endpoint: &str, channel: Channel) -> Self {
        Self {
            endpoint: endpoint.to_owned(),
            inner: DirectoryServiceClient::new(channel),
        }
    }

    /// The directory's endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Registers `instance` (or replaces its earlier registration); it lives for the
    /// returned lease's `ttl` unless renewed with [`heartbeat`](Self::heartbeat).
    pub async fn register(
        &self,
        secret: &HostSecret,
        instance: &InstanceInfo,
    ) -> Result<Lease, DirectoryError> {
        let request = RegisterRequest {
            instance: Some(instance.clone().into()),
        };
        let response = self
            .inner
            .clone()
            .register(with_secret(request, secret)?)
            .await
            .map_err(|status| self.failed("register", &status))?
            .into_inner();
        Ok(Lease {
            ttl: Duration::from_millis(response.ttl_ms),
            heartbeat_interval: Duration::from_millis(response.heartbeat_interval_ms),
        })
    }

    /// Renews the registration of `module`'s instance `instance_id`. An instance that
    /// expired meanwhile fails with code `NotFound`: register it again.
    pub async fn heartbeat(
        &self,
        secret: &HostSecret,
        module: &str,
        instance_id: &str,
    ) -> Result<(), DirectoryError> {
        self.heartbeat_serving(secret, module, instance_id, true)
            .await
    }

    /// [`heartbeat`](Self::heartbeat), saying whether the instance's module serves: the
    /// directory stops handing out an instance that is not serving (it stays registered)
    /// until a heartbeat says it serves again.
    pub async fn heartbeat_serving(
        &self,
        secret: &HostSecret,
        module: &str,
        instance_id: &str,
        serving: bool,
    ) -> Result<(), DirectoryError> {
        let request = HeartbeatRequest {
            instance: Some(instance_key(module, instance_id)),
            not_serving: !serving,
        };
        self.inner
            .clone()
            .heartbeat(with_secret(request, secret)?)
            .await
            .map_err(|status| self.failed("heartbeat", &status))?;
        Ok(())
    }

    /// Removes `module`'s instance `instance_id` at once.
    pub async fn deregister(
        &self,
        secret: &HostSecret,
        module: &str,
        instance_id: &str,
    ) -> Result<(), DirectoryError> {
        let request = DeregisterRequest {
            instance: Some(instance_key(module, instance_id)),
        };
        self.inner
            .clone()
            .deregister(with_secret(request, secret)?)
            .await
            .map_err(|status| self.failed("deregister", &status))?;
        Ok(())
    }

    /// The live endpoints serving `service_name` (`package.Service`), most recently
    /// registered first; empty when none is live. Needs no secret.
    pub async fn resolve(
        &self,
        service_name: &str,
    ) -> Result<Vec<ServiceEndpoint>, DirectoryError> {
        let request = ResolveRequest {
            service_name: service_name.to_owned(),
        };
        let response = self
            .inner
            .clone()
            .resolve(request)
            .await
            .map_err(|status| self.failed("resolve", &status))?
            .into_inner();
        Ok(response.endpoints.into_iter().map(Into::into).collect())
    }

    /// The live endpoints serving `service_name`, now and after every change, most
    /// recently registered first. Needs no secret.
    pub async fn watch(&self, service_name: &str) -> Result<DirectoryWatch, DirectoryError> {
        self.start_watch(WatchRequest {
            service_name: service_name.to_owned(),
            module: String::new(),
        })
        .await
    }

    /// The live instances of `module` (one endpoint each), now and after every change,
    /// most recently registered first. Needs no secret.
    pub async fn watch_module(&self, module: &str) -> Result<DirectoryWatch, DirectoryError> {
        self.start_watch(WatchRequest {
            service_name: String::new(),
            module: module.to_owned(),
        })
        .await
    }

    async fn start_watch(&self, request: WatchRequest) -> Result<DirectoryWatch, DirectoryError> {
        let answers = self
            .inner
            .clone()
            .watch(request)
            .await
            .map_err(|status| self.failed("watch", &status))?
            .into_inner();
        Ok(DirectoryWatch {
            endpoint: self.endpoint.clone(),
            answers,
        })
    }

    /// Registers `instance` and keeps it registered until `cancel` fires: heartbeats at the
    /// lease's interval, registers again if the directory forgot it, and deregisters at the
    /// end. Fails only if the first registration fails.
    pub async fn keep_registered(
        &self,
        secret: &HostSecret,
        instance: &InstanceInfo,
        cancel: CancellationToken,
    ) -> Result<(), DirectoryError> {
        let mut lease = self.register(secret, instance).await?;
        let (module, id) = (instance.module.as_str(), instance.instance_id.as_str());
        loop {
            tokio::select! {
                () = cancel.cancelled() => break,
                () = tokio::time::sleep(lease.heartbeat_interval) => {}
            }
            match self.heartbeat(secret, module, id).await {
                Ok(()) => {}
                Err(error) if error.code() == Some(tonic::Code::NotFound) => {
                    tracing::warn!(%module, instance_id = %id, "registration expired; registering again");
                    match self.register(secret, instance).await {
                        Ok(renewed) => lease = renewed,
                        Err(error) => tracing::warn!(%error, "registering again failed; retrying"),
                    }
                }
                Err(error) => tracing::warn!(%error, "heartbeat failed; retrying"),
            }
        }
        match tokio::time::timeout(DEREGISTER_TIMEOUT, self.deregister(secret, module, id)).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "deregistering failed"),
            Err(_) => tracing::warn!(%module, "deregistering timed out"),
        }
        Ok(())
    }

    fn failed(&self, operation: &'static str, status: &tonic::Status) -> DirectoryError {
        DirectoryError::Call {
            operation,
            endpoint: self.endpoint.clone(),
            code: status.code(),
            message: status.message().to_owned(),
        }
    }
}

/// A watch on the directory, from [`DirectoryClient::watch`] or
/// [`DirectoryClient::watch_module`].
#[derive(Debug)]
pub struct DirectoryWatch {
    endpoint: String,
    answers: Streaming<WatchResponse>,
}

impl DirectoryWatch {
    /// What is live now: the first call answers at once, later ones once something changed.
    /// `None` once the directory ended the watch (its host stopped); an error if the
    /// connection broke.
    pub async fn next(&mut self) -> Option<Result<Vec<ServiceEndpoint>, DirectoryError>> {
        match self.answers.message().await {
            Ok(Some(answer)) => Some(Ok(answer.endpoints.into_iter().map(Into::into).collect())),
            Ok(None) => None,
            Err(status) => Some(Err(DirectoryError::Call {
                operation: "watch",
                endpoint: self.endpoint.clone(),
                code: status.code(),
                message: status.message().to_owned(),
            })),
        }
    }
}

fn parse(endpoint: &str) -> Result<Endpoint, DirectoryError> {
    Endpoint::from_shared(endpoint.to_owned())
        .map(|e| e.connect_timeout(Duration::from_secs(5)))
        .map_err(|error| DirectoryError::InvalidEndpoint {
            endpoint: endpoint.to_owned(),
            reason: error.to_string(),
        })
}

fn instance_key(module: &str, instance_id: &str) -> InstanceKey {
    InstanceKey {
        module: module.to_owned(),
        instance_id: instance_id.to_owned(),
    }
}

fn with_secret<T>(message: T, secret: &HostSecret) -> Result<Request<T>, DirectoryError> {
    let mut request = Request::new(message);
    let value = MetadataValue::try_from(secret.expose()).map_err(|_| DirectoryError::Call {
        operation: "authorize",
        endpoint: String::new(),
        code: tonic::Code::InvalidArgument,
        message: "the host secret is not valid request metadata".to_owned(),
    })?;
    request.metadata_mut().insert(HOST_SECRET_METADATA, value);
    Ok(request)
}
