//! Finding modules, checking how they fit together and ordering them.
//!
//! Every `#[modkit::module]` submits a [`Registrator`] through `inventory`;
//! [`ModuleRegistry::discover_and_build`] runs them all into a [`RegistryBuilder`], which
//! checks the whole set at once (every problem is reported together, see
//! [`ConfigProblem`]) and sorts it so that each module comes after all its dependencies.
//!
//! ```
//! use std::sync::Arc;
//! use modkit::registry::{RegistryBuilder, RegistryError};
//! # use modkit::{Module, ModuleCtx};
//! # struct Noop;
//! # #[modkit::async_trait]
//! # impl Module for Noop {
//! #     async fn init(&self, _: &ModuleCtx) -> anyhow::Result<()> { Ok(()) }
//! # }
//!
//! let mut builder = RegistryBuilder::default();
//! builder.register_core_with_meta("users", &["audit"], Arc::new(Noop));
//! builder.register_core_with_meta("audit", &[], Arc::new(Noop));
//! let registry = builder.build_topo_sorted()?;
//! let order: Vec<_> = registry.modules().iter().map(|m| m.name()).collect();
//! assert_eq!(order, ["audit", "users"]);
//! # Ok::<(), RegistryError>(())
//! ```

mod build;
mod builder;
mod capabilities;
mod cycle;
mod declaration;
mod entry;
mod error;
mod module_registry;
mod name_index;
mod problem;
mod topo;

pub use builder::RegistryBuilder;
#[cfg(feature = "db")]
pub use capabilities::DatabaseCap;
#[cfg(feature = "grpc")]
pub use capabilities::GrpcServiceCap;
#[cfg(feature = "rest")]
pub use capabilities::{ApiGatewayCap, RestApiCap};
pub use capabilities::{
    CapabilityBits, CapabilitySet, CapabilityTag, GrpcHubCap, HealthCap, RunnableCap, SystemCap,
};
pub use declaration::{
    CapabilityInstaller, LifecycleDeclaration, ModuleDeclaration, register_module,
};
pub use entry::ModuleEntry;
pub use error::RegistryError;
pub(crate) use modkit_rules::closest;
pub use module_registry::ModuleRegistry;
pub use problem::ConfigProblem;

/// One module's registration, submitted by `#[modkit::module]` and collected at link time.
///
/// [`ModuleRegistry::discover_and_build`] runs every linked `Registrator` once.
#[derive(Debug, Clone, Copy)]
pub struct Registrator(pub fn(&mut RegistryBuilder));

inventory::collect!(Registrator);
