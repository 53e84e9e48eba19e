use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::RemoteCallError;
use super::outgoing::{RemoteChannel, outgoing};
use super::view::{Instance, View};
use crate::client_hub::ClientHub;
use crate::context::ModuleCtx;
use crate::directory::{DirectoryAccess, DirectoryClient, DirectoryView, GrpcClientTls};
use crate::runtime::{DEFAULT_CALL_TIMEOUT, RuntimeOptions};

/// Calls to a gRPC service wherever it runs, found through the host's directory: the
/// generic part of a module's remote client.
///
/// * It resolves the service's live instances on the first call and then **watches** the
///   directory, so a restarted child's new instance is called as soon as it registers and
///   an expired one (a child that stopped heartbeating) is no longer called. When the
///   host's directory is kept in the process ([`DirectoryView`] in the ClientHub: the
///   directory is on etcd), it reads that view instead, with no round trip.
/// * Every call gets a **deadline** (`modules.<name>.runtime.call_timeout`, default 5 s):
///   a hung instance fails the call with
///   [`DeadlineExceeded`](RemoteCallError::DeadlineExceeded) instead of holding it.
/// * A call that **never reached** an instance (its connection was refused) is tried once
///   more, on another live instance, within the same deadline.
///
/// The newest instance is called first. Cheap to clone; clones share the instances, their
/// connections and the watch, each with its own deadline.
///
/// ```
/// use std::time::Duration;
/// use modkit::directory::{DirectoryClient, RemoteCallError, RemoteService};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), modkit::directory::DirectoryError> {
/// // Nothing listens on port 9 (discard): no instance can be found.
/// let directory = DirectoryClient::connect_lazy("http://127.0.0.1:9")?;
/// let greeter = RemoteService::new("demo.v1.Greeter", directory)
///     .with_call_timeout(Duration::from_secs(2));
/// let answer = greeter
///     .call(|channel| async move {
///         // A generated client would call here: `GreeterClient::new(channel).hello(..).await`.
///         let _ = channel;
///         Ok::<_, tonic::Status>("hello")
///     })
///     .await;
/// assert!(matches!(answer, Err(RemoteCallError::Unavailable { .. })));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct RemoteService {
    inner: Arc<Inner>,
    call_timeout: Duration,
}

struct Inner {
    service: String,
    directory: Directory,
    view: Arc<View>,
    /// Ends the watch when the last clone goes.
    stop: CancellationToken,
}

/// Where the directory is.
enum Directory {
    /// Given up front.
    Client(DirectoryClient),
    /// A directory kept in this process (the etcd view).
    Local(Arc<dyn DirectoryView>),
    /// In the host's ClientHub: its local [`DirectoryView`] if it has one (the directory
    /// is on etcd), else the gRPC hub's, once it has started (weak: a remote client
    /// usually lives in that ClientHub itself).
    Host {
        client_hub: Weak<ClientHub>,
        /// A client of the endpoint the hub published, kept for its connection.
        connected: Mutex<Option<DirectoryClient>>,
    },
}

impl RemoteService {
    /// Calls `service` (`package.Service`) at the instances `directory` lists, with the
    /// default deadline.
    pub fn new(service: impl Into<String>, directory: DirectoryClient) -> Self {
        Self::with(service.into(), Directory::Client(directory))
    }

    /// Calls `service` at the instances listed by the directory of the host whose ClientHub
    /// is `client_hub`; it may be made before the host's gRPC hub has started.
    pub fn through_host(service: impl Into<String>, client_hub: &Arc<ClientHub>) -> Self {
        Self::with(
            service.into(),
            Directory::Host {
                client_hub: Arc::downgrade(client_hub),
                connected: Mutex::default(),
            },
        )
    }

    /// Calls `service` at the instances `view` (a directory kept in this process, such as
    /// the etcd view) lists: resolving costs no round trip.
    pub fn through_view(service: impl Into<String>, view: Arc<dyn DirectoryView>) -> Self {
        Self::with(service.into(), Directory::Local(view))
    }

    /// For module `ctx`'s remote client: calls `service` through the host's directory with
    /// the module's `runtime.call_timeout`. The error names the key when it is malformed.
    pub fn for_module(ctx: &ModuleCtx, service: impl Into<String>) -> anyhow::Result<Self> {
        let call_timeout =
            RuntimeOptions::call_timeout_for(ctx.module_name(), ctx.config_provider())
                .map_err(anyhow::Error::msg)?;
        Ok(Self::through_host(service, &ctx.client_hub()).with_call_timeout(call_timeout))
    }

    /// The same service, its calls given the deadline `call_timeout`.
    #[must_use]
    pub fn with_call_timeout(self, call_timeout: Duration) -> Self {
        Self {
            call_timeout,
            ..self
        }
    }

    fn with(service: String, directory: Directory) -> Self {
        Self {
            inner: Arc::new(Inner {
                service,
                directory,
                view: Arc::default(),
                stop: CancellationToken::new(),
            }),
            call_timeout: DEFAULT_CALL_TIMEOUT,
        }
    }

    /// The service it calls.
    pub fn service(&self) -> &str {
        &self.inner.service
    }

    /// Each call's deadline.
    pub fn call_timeout(&self) -> Duration {
        self.call_timeout
    }

    /// Runs `call` with a channel to a live instance (typically
    /// `|channel| async move { GeneratedClient::new(channel).method(request).await }`),
    /// within the call deadline. If the instance could not be connected to, the call is
    /// made once more on another live instance, if there is one.
    ///
    /// The call runs in a client span (`rpc.service`); with tracing on, its context travels
    /// in the request's metadata, so the instance's server span is its child.
    pub async fn call<T, F, Fut>(&self, mut call: F) -> Result<T, RemoteCallError>
    where
        F: FnMut(RemoteChannel) -> Fut,
        Fut: Future<Output = Result<T, tonic::Status>>,
    {
        #[cfg(feature = "metrics")]
        let started = std::time::Instant::now();
        let deadline = Instant::now() + self.call_timeout;
        let attempts = async {
            let first = self.pick(None).await?;
            let status = match call(outgoing(first.channel.clone())).await {
                Ok(answer) => return Ok(answer),
                Err(status) if never_reached(&status) => status,
                Err(status) => return Err(self.answered(status)),
            };
            tracing::debug!(
                service = %self.inner.service,
                endpoint = %first.endpoint,
                reason = %status.message(),
                "instance unreachable; trying another"
            );
            let second = self.pick(Some(&first.endpoint)).await?;
            match call(outgoing(second.channel)).await {
                Ok(answer) => Ok(answer),
                Err(status) if never_reached(&status) => Err(self.unavailable(format!(
                    "`{}` and `{}` refused the connection: {}",
                    first.endpoint,
                    second.endpoint,
                    status.message()
                ))),
                Err(status) => Err(self.answered(status)),
            }
        };
        // With tracing off, no span: log lines inside the call stay as they were.
        let span = if crate::telemetry::otel::enabled() {
            tracing::info_span!(
                "grpc.client",
                otel.name = %self.inner.service,
                otel.kind = "client",
                rpc.system = "grpc",
                rpc.service = %self.inner.service,
            )
        } else {
            tracing::Span::none()
        };
        let outcome = match tokio::time::timeout_at(deadline, attempts.instrument(span)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(RemoteCallError::DeadlineExceeded {
                service: self.inner.service.clone(),
                deadline: self.call_timeout,
            }),
        };
        #[cfg(feature = "metrics")]
        self.record(outcome.as_ref().err(), started);
        outcome
    }

    /// Records the call in the host's metrics, when it keeps them. The method is not
    /// known here (the call is the caller's closure): its label is left empty.
    #[cfg(feature = "metrics")]
    fn record(&self, error: Option<&RemoteCallError>, started: std::time::Instant) {
        let Directory::Host { client_hub, .. } = &self.inner.directory else {
            return;
        };
        let Some(metrics) = client_hub
            .upgrade()
            .and_then(|hub| hub.try_get::<crate::telemetry::metrics::Metrics>())
        else {
            return;
        };
        let code = error.map_or(0, |error| error.code() as u16);
        metrics
            .rpc()
            .client_call(&self.inner.service, "", code, started);
    }

    /// The instance to call: the newest the view knows, or, when it knows none or the call
    /// is a retry after `failed` could not be reached, the newest the directory lists now
    /// (other than `failed`).
    async fn pick(&self, failed: Option<&str>) -> Result<Instance, RemoteCallError> {
        if let Some(local) = self.local_view() {
            return self.pick_local(local.as_ref(), failed);
        }
        if failed.is_none() {
            if let Some(instance) = self.inner.view.first() {
                return Ok(instance);
            }
        }
        let directory = self.directory()?;
        let live = directory
            .resolve(&self.inner.service)
            .await
            .map_err(|error| self.unavailable(error))?;
        let instances = self.inner.view.replace(&live, failed);
        self.inner
            .view
            .follow(directory, &self.inner.service, &self.inner.stop);
        instances
            .into_iter()
            .find(|instance| Some(instance.endpoint.as_str()) != failed)
            .ok_or_else(|| match failed {
                None => self.unavailable("the directory lists no live instance"),
                Some(failed) => self.unavailable(format!(
                    "`{failed}` refused the connection and the directory lists no other live instance"
                )),
            })
    }

    /// The directory kept in this process, if the service is resolved through one.
    fn local_view(&self) -> Option<Arc<dyn DirectoryView>> {
        match &self.inner.directory {
            Directory::Local(view) => Some(Arc::clone(view)),
            Directory::Host { client_hub, .. } => {
                let client_hub = client_hub.upgrade()?;
                let view = client_hub.try_get::<dyn DirectoryView>()?;
                self.inner.view.set_tls(
                    client_hub
                        .try_get::<GrpcClientTls>()
                        .map(|tls| GrpcClientTls::clone(&tls)),
                );
                Some(view)
            }
            Directory::Client(_) => None,
        }
    }

    /// [`pick`](Self::pick) from a directory kept in this process: no round trip.
    fn pick_local(
        &self,
        local: &dyn DirectoryView,
        failed: Option<&str>,
    ) -> Result<Instance, RemoteCallError> {
        let mut instances = self.inner.view.sync(local, &self.inner.service);
        if let Some(failed) = failed {
            instances.retain(|instance| instance.endpoint != failed);
        }
        instances.into_iter().next().ok_or_else(|| {
            let degraded = if local.degraded() {
                format!(" (the {} directory is degraded: it cannot be reached)", local.backend())
            } else {
                String::new()
            };
            match failed {
                None => self.unavailable(format!("the directory lists no live instance{degraded}")),
                Some(failed) => self.unavailable(format!(
                    "`{failed}` refused the connection and the directory lists no other live instance{degraded}"
                )),
            }
        })
    }

    fn directory(&self) -> Result<DirectoryClient, RemoteCallError> {
        match &self.inner.directory {
            Directory::Client(client) => Ok(client.clone()),
            Directory::Local(_) => Err(self.unavailable("the directory is kept in this process")),
            Directory::Host {
                client_hub,
                connected,
            } => {
                let hub = client_hub.upgrade();
                let access = hub
                    .as_ref()
                    .and_then(|hub| hub.try_get::<DirectoryAccess>())
                    .ok_or_else(|| self.unavailable("the host's gRPC hub has not started"))?;
                let tls = hub
                    .and_then(|hub| hub.try_get::<GrpcClientTls>())
                    .map(|tls| GrpcClientTls::clone(&tls));
                self.inner.view.set_tls(tls.clone());
                let mut connected = connected.lock().unwrap_or_else(PoisonError::into_inner);
                match &*connected {
                    Some(client) if client.endpoint() == access.endpoint => Ok(client.clone()),
                    _ => {
                        let client =
                            DirectoryClient::connect_lazy_with(&access.endpoint, tls.as_ref())
                                .map_err(|error| self.unavailable(error))?;
                        *connected = Some(client.clone());
                        Ok(client)
                    }
                }
            }
        }
    }

    fn unavailable(&self, reason: impl fmt::Display) -> RemoteCallError {
        RemoteCallError::Unavailable {
            service: self.inner.service.clone(),
            reason: reason.to_string(),
        }
    }

    fn answered(&self, status: tonic::Status) -> RemoteCallError {
        RemoteCallError::Status {
            service: self.inner.service.clone(),
            status,
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

impl fmt::Debug for RemoteService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteService")
            .field("service", &self.inner.service)
            .field("call_timeout", &self.call_timeout)
            .finish_non_exhaustive()
    }
}

/// Whether the call failed before it reached an instance: the connection could not be made,
/// so nothing ran and it is safe to try elsewhere.
fn never_reached(status: &tonic::Status) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(status);
    while let Some(error) = source {
        if error.is::<tonic::ConnectError>() {
            return true;
        }
        source = error.source();
    }
    false
}
