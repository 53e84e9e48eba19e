//! `diff OLD.json NEW.json`: a breaking-change gate over two manifests that
//! `graph --format json` wrote, for CI.
//!
//! [`DiffReport::between`] compares two [`HostManifest`](crate::bootstrap::HostManifest)s:
//! modules (removed, renamed, dependencies, new cycles), REST routes and operation ids,
//! each operation's parameters, request body and responses down to their schemas, gRPC
//! services (not their methods, which a manifest does not list) and migrations (removed,
//! changed, inserted below applied ones). Each difference is breaking or compatible.

mod command;
mod cycles;
#[cfg(test)]
mod fixtures;
mod grpc;
mod migrations;
mod modules;
mod operations;
mod path;
mod report;
mod routes;
mod schemas;

pub use command::DiffFormat;
pub(crate) use command::run;
pub use report::{Change, ChangeKind, DiffReport};
