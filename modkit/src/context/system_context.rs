use std::fmt;
use std::sync::Arc;

use uuid::Uuid;

use crate::base::Extensions;
use crate::client_hub::ClientHub;
use crate::report::RuntimeReportHandle;

/// What system modules see of the host, beyond an ordinary [`ModuleCtx`](crate::ModuleCtx).
///
/// Handed to [`SystemCapability`](crate::SystemCapability) hooks.
#[derive(Clone)]
pub struct SystemContext {
    instance_id: Uuid,
    report: RuntimeReportHandle,
    client_hub: Arc<ClientHub>,
    out_of_process: Arc<[String]>,
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
            out_of_process: Arc::from([]),
            extensions: Arc::default(),
        }
    }

    /// The same context, telling system modules that `modules` run out of process.
    pub(crate) fn with_out_of_process(mut self, modules: Vec<String>) -> Self {
        self.out_of_process = modules.into();
        self
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

    /// The modules this run places out of process (the host's `OopSpawnOptions`), whose
    /// children need the gRPC hub's directory; empty when describing a host, which spawns
    /// no child.
    pub fn out_of_process_modules(&self) -> &[String] {
        &self.out_of_process
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
