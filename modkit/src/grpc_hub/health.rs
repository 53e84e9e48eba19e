//! The hub's gRPC health: the host as a whole (service `""`) is SERVING only once start-up
//! has finished, each module's service follows the state and the last health check of the
//! module that offers it (NOT_SERVING while it is failed or its check finds it down), and
//! the hub's own services (the directory, health) are SERVING while the hub serves them.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;

use crate::runtime::RuntimeReportHandle;

/// How often, once the host is ready, services' statuses are refreshed from their modules.
const REFRESH: Duration = Duration::from_millis(250);

/// The health statuses the hub reports.
#[derive(Clone)]
pub(crate) struct HubHealth {
    reporter: HealthReporter,
    /// Each module's served service and the module that offers it.
    services: Vec<(String, String)>,
    /// The services of the hub itself.
    own: Vec<String>,
}

impl std::fmt::Debug for HubHealth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubHealth")
            .field("services", &self.services)
            .field("own", &self.own)
            .finish_non_exhaustive()
    }
}

impl HubHealth {
    pub(crate) fn new(
        reporter: HealthReporter,
        services: Vec<(String, String)>,
        own: Vec<String>,
    ) -> Self {
        Self {
            reporter,
            services,
            own,
        }
    }

    /// Reports the hub's own services SERVING and the rest, and the host, NOT_SERVING: the
    /// state while start-up runs (children already register with the directory).
    pub(crate) async fn set_starting(&self) {
        self.set_all(ServingStatus::NotServing).await;
        for service in &self.own {
            self.reporter
                .set_service_status(service, ServingStatus::Serving)
                .await;
        }
    }

    /// Reports every service, the hub's own included, and the host, NOT_SERVING.
    pub(crate) async fn set_not_serving(&self) {
        self.set_all(ServingStatus::NotServing).await;
        for service in &self.own {
            self.reporter
                .set_service_status(service, ServingStatus::NotServing)
                .await;
        }
    }

    async fn set_all(&self, status: ServingStatus) {
        self.reporter.set_service_status("", status).await;
        for (service, _) in &self.services {
            self.reporter.set_service_status(service, status).await;
        }
    }

    /// Waits until start-up ends, then keeps the statuses in step with the host's and the
    /// modules' states until `shutdown` fires.
    pub(crate) async fn track(self, report: RuntimeReportHandle, shutdown: CancellationToken) {
        let ready = tokio::select! {
            ready = report.wait_ready() => ready,
            () = shutdown.cancelled() => return,
        };
        if !ready {
            return;
        }
        let mut current: Vec<Option<ServingStatus>> = vec![None; self.services.len() + 1];
        loop {
            let host = status(report.is_ready());
            self.set_if_changed("", host, &mut current[0]).await;
            for (index, (service, module)) in self.services.iter().enumerate() {
                let serving = report.is_ready() && report.module_serving(module).unwrap_or(true);
                self.set_if_changed(service, status(serving), &mut current[index + 1])
                    .await;
            }
            tokio::select! {
                () = tokio::time::sleep(REFRESH) => {}
                () = shutdown.cancelled() => return,
            }
        }
    }

    async fn set_if_changed(
        &self,
        service: &str,
        status: ServingStatus,
        current: &mut Option<ServingStatus>,
    ) {
        if *current != Some(status) {
            self.reporter.set_service_status(service, status).await;
            *current = Some(status);
        }
    }
}

fn status(serving: bool) -> ServingStatus {
    if serving {
        ServingStatus::Serving
    } else {
        ServingStatus::NotServing
    }
}
