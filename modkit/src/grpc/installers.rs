use std::sync::{Arc, Mutex};

use crate::contracts::RegisterGrpcServiceFn;

/// One gRPC service and the module that offers it.
#[derive(Debug)]
pub struct GrpcInstaller {
    /// The module that offers the service.
    pub module: String,
    /// The service.
    pub service: RegisterGrpcServiceFn,
}

/// The gRPC services of every module, filled in the grpc phase and taken by the hub when it
/// starts.
#[derive(Debug, Default)]
pub struct GrpcInstallerStore {
    installers: Mutex<Vec<GrpcInstaller>>,
}

impl GrpcInstallerStore {
    pub(crate) fn push(&self, installer: GrpcInstaller) {
        self.lock().push(installer);
    }

    /// Takes every collected service (the hub does this once, when it starts).
    pub fn take(&self) -> Vec<GrpcInstaller> {
        std::mem::take(&mut *self.lock())
    }

    /// The names of the collected services.
    pub fn service_names(&self) -> Vec<&'static str> {
        self.lock().iter().map(|i| i.service.service_name).collect()
    }

    /// Each collected service with the module that offers it.
    pub(crate) fn described(&self) -> Vec<crate::runtime::DescribedService> {
        self.lock()
            .iter()
            .map(|installer| crate::runtime::DescribedService {
                module: installer.module.clone(),
                service: installer.service.service_name.to_owned(),
            })
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<GrpcInstaller>> {
        self.installers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl crate::runtime::SystemContext {
    /// The gRPC services collected in the grpc phase, for the gRPC hub to serve.
    pub fn grpc_installers(&self) -> Arc<GrpcInstallerStore> {
        self.extensions()
            .get_or_insert_with(GrpcInstallerStore::default)
    }
}
