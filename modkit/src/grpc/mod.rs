//! gRPC services of modules: the `grpc` capability ([`GrpcServiceCapability`]), the store
//! its phase fills for the hub ([`GrpcInstallerStore`]), and the grpc phase's driver.
//!
//! The hub that serves them is the `grpc-hub` built-in module (feature `grpc-hub`).

mod capability;
mod installers;
mod phase;
mod registry;

pub use capability::{GrpcServiceCapability, RegisterGrpcServiceFn};
pub use installers::{GrpcInstaller, GrpcInstallerStore};
pub(crate) use phase::GrpcPhase;
