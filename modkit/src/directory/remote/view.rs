//! What a [`RemoteService`](super::RemoteService) knows of its service's live instances,
//! kept current by a watch on the directory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio_util::sync::CancellationToken;
use tonic::transport::{Channel, Endpoint};

use crate::directory::client_tls::with_tls;
use crate::directory::{DirectoryClient, DirectoryView, GrpcClientTls, ServiceEndpoint};

/// One live instance and the (lazily connected) channel to it.
#[derive(Debug, Clone)]
pub(super) struct Instance {
    pub(super) endpoint: String,
    pub(super) channel: Channel,
}

/// The live instances, newest first, shared by the calls and the watch that updates them.
#[derive(Debug, Default)]
pub(super) struct View {
    inner: Mutex<Known>,
}

#[derive(Debug, Default)]
struct Known {
    /// As last resolved or watched; `None` when unknown (resolve before the next call).
    instances: Option<Vec<Instance>>,
    /// A watch keeps `instances` current.
    watching: bool,
    /// The generation of the local directory view `instances` were copied from.
    synced: Option<u64>,
    /// How `https://` instances are called (the host's [`GrpcClientTls`]).
    tls: Option<GrpcClientTls>,
}

impl View {
    /// The instance to call first, if the view knows one.
    pub(super) fn first(&self) -> Option<Instance> {
        self.lock().instances.as_ref()?.first().cloned()
    }

    /// Calls `https://` instances with `tls` from now on.
    pub(super) fn set_tls(&self, tls: Option<GrpcClientTls>) {
        self.lock().tls = tls;
    }

    /// Replaces the instances with `live` (newest first), keeping the channels of those
    /// already known so that their connections are kept; `failed` endpoints go last.
    pub(super) fn replace(&self, live: &[ServiceEndpoint], failed: Option<&str>) -> Vec<Instance> {
        let mut known = self.lock();
        let mut channels: HashMap<String, Channel> = known
            .instances
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(|instance| (instance.endpoint, instance.channel))
            .collect();
        let mut instances: Vec<Instance> = live
            .iter()
            .filter_map(|live| {
                let channel = match channels.remove(&live.endpoint) {
                    Some(channel) => channel,
                    None => with_tls(
                        Endpoint::from_shared(live.endpoint.clone()).ok()?,
                        known.tls.as_ref(),
                    )
                    .ok()?
                    .connect_lazy(),
                };
                Some(Instance {
                    endpoint: live.endpoint.clone(),
                    channel,
                })
            })
            .collect();
        if let Some(failed) = failed {
            instances.sort_by_key(|instance| instance.endpoint == failed);
        }
        known.instances = Some(instances.clone());
        instances
    }

    /// The instances of `service` in `local` (a directory kept in this process), copied
    /// again only when `local` changed since the last copy.
    pub(super) fn sync(&self, local: &dyn DirectoryView, service: &str) -> Vec<Instance> {
        let generation = local.generation();
        {
            let known = self.lock();
            if known.synced == Some(generation) {
                return known.instances.clone().unwrap_or_default();
            }
        }
        let live = local.resolve(service);
        let instances = self.replace(live.as_deref().unwrap_or_default(), None);
        self.lock().synced = Some(generation);
        instances
    }

    /// Forgets the instances: the next call resolves them again.
    fn forget(&self) {
        self.lock().instances = None;
    }

    /// Starts following `service` through `directory`, unless already doing so, until
    /// `stop` fires or the directory ends the watch.
    pub(super) fn follow(
        self: &Arc<Self>,
        directory: DirectoryClient,
        service: &str,
        stop: &CancellationToken,
    ) {
        {
            let mut known = self.lock();
            if known.watching {
                return;
            }
            known.watching = true;
        }
        let view = Arc::downgrade(self);
        let (service, stop) = (service.to_owned(), stop.clone());
        tokio::spawn(async move {
            tokio::select! {
                () = watch(&view, &directory, &service) => {}
                () = stop.cancelled() => {}
            }
            if let Some(view) = view.upgrade() {
                view.lock().watching = false;
                // What it showed last may be stale by now.
                view.forget();
            }
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Known> {
        // Every edit replaces a field whole; a panic cannot leave one half done.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Copies every answer of a watch on `service` into `view` until the watch ends.
async fn watch(view: &Weak<View>, directory: &DirectoryClient, service: &str) {
    let mut watch = match directory.watch(service).await {
        Ok(watch) => watch,
        Err(error) => {
            tracing::debug!(service, %error, "cannot watch the directory; resolving on each call");
            return;
        }
    };
    while let Some(Ok(live)) = watch.next().await {
        let Some(view) = view.upgrade() else { return };
        view.replace(&live, None);
    }
}
