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
//! | [`HealthCapability`] | polled after start-up |

mod grpc_hub;
mod health;
mod module;
mod runnable;
mod system;

pub use grpc_hub::GrpcHubCapability;
pub use health::{Health, HealthCapability};
pub use module::Module;
pub use runnable::RunnableCapability;
pub use system::SystemCapability;

// The feature capabilities' traits live in their feature's folder, beside the driver of the
// phase that calls them; they are re-exported here so that every contract has one path.
#[cfg(feature = "db")]
pub use crate::db::{DatabaseCapability, Migration, MigrationFn, MigrationFuture, MigrationStep};
#[cfg(feature = "grpc")]
pub use crate::grpc::{GrpcServiceCapability, RegisterGrpcServiceFn};
#[cfg(feature = "rest")]
pub use crate::rest::{ApiGatewayCapability, OpenApiRegistry, RestApiCapability};
