//! The traits a module implements: one required ([`Module`]) and one per optional capability.
//!
//! A module is registered once, as one `Arc`, and the registry keeps one trait object per
//! capability it declares (see [`crate::registry::CapabilitySet`]). Every trait here is
//! `Send + Sync`, and every async method goes through [`async_trait`](async_trait::async_trait)
//! so the traits stay object safe.
//!
//! | trait | phase that calls it |
//! |---|---|
//! | [`Module`] | init |
//! | [`SystemCapability`] | pre_init, post_init |
//! | [`DatabaseCapability`] (feature `db`) | db |
//! | [`RestApiCapability`], [`ApiGatewayCapability`] (feature `rest`) | rest |
//! | [`GrpcServiceCapability`] (feature `grpc`), [`GrpcHubCapability`] | grpc, oop spawn |
//! | [`RunnableCapability`] | start, stop |

mod grpc_hub;
mod module;
mod runnable;
mod system;

#[cfg(feature = "db")]
mod database;
#[cfg(feature = "grpc")]
mod grpc_service;
#[cfg(feature = "rest")]
mod rest;

pub use grpc_hub::GrpcHubCapability;
pub use module::Module;
pub use runnable::RunnableCapability;
pub use system::SystemCapability;

#[cfg(feature = "db")]
pub use database::{DatabaseCapability, Migration, MigrationFn, MigrationFuture, MigrationStep};
#[cfg(feature = "grpc")]
pub use grpc_service::{GrpcServiceCapability, RegisterGrpcServiceFn};
#[cfg(feature = "rest")]
pub use rest::{ApiGatewayCapability, OpenApiRegistry, RestApiCapability};
