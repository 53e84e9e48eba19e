use std::fmt;
use std::sync::Arc;

use uuid::Uuid;

use super::RuntimeReportHandle;
use crate::base::Extensions;
use crate::client_hub::ClientHub;

/// What system modules see of the host, beyond an ordinary [`ModuleCtx`](crate::ModuleCtx).
///
/// Handed to [`SystemCapability`](crate::SystemCapability) hooks.
#[derive(Clone)]
pub struct SystemContext {
    instance_id: Uuid,
    report: RuntimeReportHandle,
    client_hub: Arc<ClientHub>,
    /// What features keep here: the grpc phase's services (`grpc/installers.rs`).
    extensions: Arc<Extensions>,
}

impl SystemContext {
    pub(crate) fn new(
        instance_id: Uuid,
        report: RuntimeReportHandle,
        client_hub: Arc<ClientHub>,
    ) -> Self {
        Self {
            instance_id,
            report,
            client_hub,
            extensions: Arc::default(),
        }
    }

    /// The id of this run of the host.
    pub fn instance_id(&self) -> Uuid {
        self.instance_id
    }

    /// The live runtime report: every module's state, for health endpoints.
    pub fn report(&self) -> &RuntimeReportHandle {
        &self.report
    }

    /// The host's in-process clients.
    pub fn client_hub(&self) -> &Arc<ClientHub> {
        &self.client_hub
    }

    /// Values features keep on the host's system context, one per type (see
    /// [`Extensions`]).
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }
}

impl fmt::Debug for SystemContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SystemContext")
            .field("instance_id", &self.instance_id)
            .field("extensions", self.extensions())
            .finish_non_exhaustive()
    }
}
