//! A [`TestHost`](super::TestHost) once started: its hub, report and HTTP client, and how it
//! stops.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::TestHostError;
use crate::client_hub::ClientHub;
use crate::registry::RegistryError;
use crate::runtime::RuntimeReportHandle;

/// A started [`TestHost`]. Dropping it cancels the host; [`stop`](Self::stop) also waits
/// for every module to stop and reports how it went.
#[derive(Debug)]
pub struct RunningTestHost {
    pub(super) cancel: CancellationToken,
    pub(super) report: RuntimeReportHandle,
    pub(super) hub: Arc<ClientHub>,
    pub(super) task: Option<JoinHandle<Result<(), RegistryError>>>,
    pub(super) patience: Duration,
    pub(super) home: Option<TempHome>,
    /// What spawned the children of modules placed out of process.
    #[cfg(all(feature = "oop", feature = "grpc-hub"))]
    pub(super) children: Option<crate::backends::LocalProcessBackend>,
}

impl RunningTestHost {
    /// The hub the modules registered their clients in.
    pub fn client_hub(&self) -> &Arc<ClientHub> {
        &self.hub
    }

    /// The live runtime report.
    pub fn report(&self) -> &RuntimeReportHandle {
        &self.report
    }

    /// The host's token; cancelling it is what SIGTERM does to a real host.
    pub fn cancel_token(&self) -> &CancellationToken {
        &self.cancel
    }

    /// The temporary home directory holding the modules' SQLite files, unless the test
    /// gave its own [`database`](TestHost::database).
    pub fn home_dir(&self) -> Option<&std::path::Path> {
        self.home.as_ref().map(|home| home.0.as_path())
    }

    /// A client for the host's `api-gateway` (chosen among its modules), listening on
    /// an ephemeral loopback port; each request is bounded by the host's patience.
    ///
    /// ```
    /// use modkit::axum::http::StatusCode;
    /// use modkit::testing::TestHost;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> anyhow::Result<()> {
    /// let host = TestHost::with_modules(["api-gateway"]).start().await?;
    /// let http = host.http()?;
    /// assert_eq!(http.get("/readyz").await?.status(), StatusCode::OK);
    /// assert_eq!(http.get("/nowhere").await?.status(), StatusCode::NOT_FOUND);
    /// host.stop().await?;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "api-gateway")]
    pub fn http(&self) -> Result<super::HttpClient, super::TestHttpError> {
        let addr = self
            .hub
            .get::<crate::api_gateway::ApiGatewayHandle>()
            .ok()
            .and_then(|gateway| gateway.local_addr())
            .ok_or(super::TestHttpError::NoGateway)?;
        Ok(super::HttpClient::new(addr, self.patience))
    }

    /// Stops every module and waits for the host to return.
    pub async fn stop(mut self) -> Result<(), TestHostError> {
        self.cancel.cancel();
        self.join().await
    }

    pub(super) async fn join(&mut self) -> Result<(), TestHostError> {
        let Some(task) = self.task.take() else {
            return Ok(());
        };
        match tokio::time::timeout(self.patience, task).await {
            Err(_) => Err(TestHostError::TimedOut {
                what: "stop",
                patience: self.patience,
            }),
            Ok(Err(join_error)) => Err(TestHostError::Panicked(join_error.to_string())),
            Ok(Ok(Err(error))) => Err(TestHostError::Run(error)),
            Ok(Ok(Ok(()))) => Ok(()),
        }
    }
}

impl Drop for RunningTestHost {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// A temporary home directory, removed on drop.
#[derive(Debug)]
pub(super) struct TempHome(pub(super) std::path::PathBuf);

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
