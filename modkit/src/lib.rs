//! # modkit
//!
//! Build a service out of **modules**. A module is a struct annotated with
//! [`#[modkit::module]`](macro@module) in any crate the host binary links; the host finds every
//! module at start-up, orders them by their declared dependencies and drives them through
//! a fixed series of lifecycle phases:
//!
//! | phase | who | what |
//! |---|---|---|
//! | pre_init | system modules | [`SystemCapability::pre_init`] |
//! | db | `db` modules | apply pending migrations |
//! | init | every module | [`Module::init`] |
//! | post_init | system modules | [`SystemCapability::post_init`], once every init is done |
//! | rest | `rest` modules + the REST host | build the router and the OpenAPI document |
//! | grpc | `grpc` modules + the gRPC hub | collect gRPC services |
//! | start | `stateful` modules | [`RunnableCapability::start`] |
//! | oop spawn | out-of-process modules | spawn and supervise child processes |
//! | stop | `stateful` modules, in reverse | [`RunnableCapability::stop`] |
//!
//! A failure in any phase stops every module already started, in reverse order, before the
//! error is returned; hooks run under deadlines; a panicking hook becomes its module's error.
//!
//! ```
//! use modkit::{Module, ModuleCtx};
//!
//! #[derive(Default)]
//! #[modkit::module(name = "greeter")]
//! pub struct Greeter;
//!
//! #[modkit::async_trait]
//! impl Module for Greeter {
//!     async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
//!         Ok(())
//!     }
//! }
//! ```

#![warn(missing_docs)]

// The built-in modules are declared with `#[modkit::module]`, whose code names `::modkit`.
#[cfg(any(feature = "api-gateway", feature = "grpc-hub"))]
extern crate self as modkit;

#[cfg(feature = "api-gateway")]
pub mod api_gateway;
pub mod base;
#[cfg(feature = "bootstrap")]
pub mod bootstrap;
pub mod client_hub;
pub mod config;
pub mod context;
pub mod contracts;
#[cfg(feature = "db")]
pub mod db;
#[cfg(feature = "grpc-hub")]
pub mod directory;
#[cfg(feature = "grpc")]
pub mod grpc;
#[cfg(feature = "grpc-hub")]
pub mod grpc_hub;
pub mod lifecycle;
pub mod oop;
mod phase_table;
pub mod registry;
mod report;
#[cfg(feature = "rest")]
pub mod rest;
pub mod runtime;
pub mod security;
pub mod telemetry;
pub mod testing;
#[cfg(feature = "tls")]
pub mod tls;

#[cfg(feature = "oop")]
pub mod backends;

#[doc(hidden)]
pub mod __private;

pub use async_trait::async_trait;
pub use tokio_util::sync::CancellationToken;

// The crates whose types modkit's public API hands out or takes, re-exported so that a
// service depends on `modkit` (plus `serde` and `tokio`) and always gets the versions modkit
// was built with. Their macros resolve through the re-export: `modkit::serde_json::json!`,
// `modkit::tracing::info!`; utoipa's derives emit `utoipa::` paths, which resolve after
// `use modkit::utoipa;`.

/// Errors of module hooks: every hook returns `anyhow::Result`.
pub use anyhow;
/// The REST layer: [`RestApiCapability`] threads an [`axum::Router`] through the REST
/// modules; handlers use its extractors (`axum::extract::{Path, Query, State}`,
/// `axum::Json`) and `axum::http::StatusCode`.
#[cfg(feature = "rest")]
pub use axum;
/// Config and test fixtures are JSON values ([`ConfigProvider`], `TestHost::module_config`).
pub use serde_json;
/// Logging: modkit's hosts install a `tracing` subscriber; modules log with
/// `modkit::tracing::info!` and the rest.
pub use tracing;
/// OpenAPI schemas: types that REST operations take or return derive `utoipa::ToSchema`
/// (and `utoipa::IntoParams` for path and query parameters). The derives name `utoipa::`,
/// so bring the re-export into scope first:
///
/// ```
/// use modkit::utoipa;
///
/// #[derive(serde::Serialize, utoipa::ToSchema)]
/// struct Note {
///     title: String,
/// }
///
/// #[derive(serde::Deserialize, utoipa::IntoParams)]
/// #[into_params(parameter_in = Query)]
/// struct Page {
///     limit: Option<u32>,
/// }
/// # use utoipa::{IntoParams, PartialSchema};
/// # let _ = Note::schema();
/// # assert_eq!(Page::into_params(|| None).len(), 1);
/// ```
#[cfg(feature = "api-gateway")]
pub use utoipa;
/// Instance ids ([`ModuleCtx::instance_id`]).
pub use uuid;

pub use client_hub::{ClientHub, ClientHubError, ClientScope};
pub use config::ConfigProvider;
pub use context::{ModuleContextBuilder, ModuleCtx};
pub use contracts::*;
pub use lifecycle::ReadySignal;
pub use registry::{ModuleEntry, ModuleRegistry, RegistryBuilder, RegistryError};
pub use runtime::{
    DbOptions, HostRuntime, Phase, RunMode, RuntimeOptions, RuntimeReport, SystemContext,
};
pub use security::SecurityContext;

/// Declares a module: `#[modkit::module(name = "users", deps = ["audit"], capabilities = [rest])]`.
///
/// See the [crate documentation](crate) and `docs/` for the whole grammar.
pub use modkit_macros::module;

/// Turns an `async fn run(&self, cancel: CancellationToken) -> anyhow::Result<()>` into the
/// module's [`RunnableCapability`]: start spawns it, stop cancels it and waits.
pub use modkit_macros::lifecycle;
