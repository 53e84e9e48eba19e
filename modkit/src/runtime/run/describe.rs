//! Describing a host: the registration phases, then what they registered, then shutdown.

use super::Run;
use crate::registry::RegistryError;
use crate::runtime::{HostApi, HostState, Phase};

impl Run {
    pub(crate) async fn describe(mut self) -> Result<HostApi, RegistryError> {
        let drivers = std::sync::Arc::clone(&self.drivers);
        let prepared = drivers
            .iter()
            .try_for_each(|driver| driver.prepare_description(&self));
        let outcome = match prepared {
            Ok(()) => self.start_up(Phase::DESCRIPTION).await,
            Err(error) => Err(error),
        };
        let api = outcome.map(|()| {
            let mut api = HostApi::default();
            for driver in drivers.iter() {
                driver.describe(&self, &mut api);
            }
            for (m, unused) in self.unused_dependencies() {
                api.unused_deps.insert(
                    self.module_name(m).to_owned(),
                    unused.into_iter().map(str::to_owned).collect(),
                );
            }
            api
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
}
