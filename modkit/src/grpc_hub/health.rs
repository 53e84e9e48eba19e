//! The hub's gRPC health: the host as a whole (service `""`) is SERVING only once start-up
//! has finished, and each service follows the state of the module that offers it.

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
    /// Each served service and the module that offers it.
    services: Vec<(String, String)>,
}

impl std::fmt::Debug for HubHealth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubHealth")
            .field("services", &self.services)
            .finish_non_exhaustive()
    }
}

impl HubHealth {
    pub(crate) fn new(reporter: HealthReporter, services: Vec<(String, String)>) -> Self {
        Self { reporter, services }
    }

    /// Reports every service, and the host, NOT_SERVING.
    pub(crate) async fn set_not_serving(&self) {
        self.reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
        for (service, _) in &self.services {
            self.reporter
                .set_service_status(service, ServingStatus::NotServing)
                .await;
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
                let serving = report.is_ready()
                    && report
                        .module_state(module)
                        .is_none_or(|state| state.is_serving());
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
