//! The gRPC modules of a registry.

use std::sync::Arc;

use super::GrpcServiceCapability;
use crate::registry::{GrpcServiceCap, ModuleRegistry};

impl ModuleRegistry {
    /// Every module with the `grpc` capability, in dependency order, with its
    /// implementation of the capability.
    pub fn grpc_services(&self) -> Vec<(String, Arc<dyn GrpcServiceCapability>)> {
        self.modules()
            .iter()
            .filter_map(|m| Some((m.name().to_owned(), m.caps().query::<GrpcServiceCap>()?)))
            .collect()
    }
}
