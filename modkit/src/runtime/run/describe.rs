//! Describing a host: the registration phases, then what they registered, then shutdown.

use super::Run;
use crate::registry::RegistryError;
use crate::runtime::{HostApi, HostState, Phase};

impl Run {
    pub(crate) async fn describe(mut self) -> Result<HostApi, RegistryError> {
        let outcome = match self.lend_unmigrated_pools() {
            Ok(()) => self.start_up(Phase::DESCRIPTION).await,
            Err(error) => Err(error),
        };
        let api = outcome.map(|()| HostApi {
            rest: self.described_routes(),
            grpc: self.described_services(),
        });
        // Nothing started, but `init` may have spawned tasks: end them.
        self.shutdown().await;
        self.report.set_host_state(if api.is_ok() {
            HostState::Stopped
        } else {
            HostState::Failed
        });
        api
    }

    #[cfg(feature = "api-gateway")]
    fn described_routes(&self) -> Vec<crate::runtime::DescribedRoute> {
        use crate::registry::ApiGatewayCap;
        use crate::rest::OpenApiDocument;

        (0..self.modules.len())
            .filter_map(|m| self.cap::<ApiGatewayCap>(u32::try_from(m).ok()?))
            .find_map(|gateway| {
                let registry = gateway.as_registry();
                let document = registry.as_any().downcast_ref::<OpenApiDocument>()?;
                Some(document.routes())
            })
            .unwrap_or_default()
    }

    #[cfg(not(feature = "api-gateway"))]
    fn described_routes(&self) -> Vec<crate::runtime::DescribedRoute> {
        Vec::new()
    }

    #[cfg(feature = "grpc")]
    fn described_services(&self) -> Vec<crate::runtime::DescribedService> {
        self.sys.grpc_installers().described()
    }

    #[cfg(not(feature = "grpc"))]
    fn described_services(&self) -> Vec<crate::runtime::DescribedService> {
        Vec::new()
    }
}
