//! What `check`, `graph` and `diff` work on: the host's modules, as data.

mod build;
mod model;
mod openapi;
mod read;
mod render;

pub use model::{
    HostManifest, MigrationManifest, ModuleManifest, OperationManifest, ParameterManifest,
    RequestBodyManifest, ResponseManifest, RouteManifest,
};
