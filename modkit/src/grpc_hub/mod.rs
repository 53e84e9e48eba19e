//! The `grpc-hub` built-in module (feature `grpc-hub`, on by default): one tonic server for
//! every gRPC service of the host, gRPC health, and the [directory](crate::directory).
//!
//! Linking `modkit` with the feature registers it in every host that discovers its modules.
//! Configure it under `modules.grpc-hub.config` ([`GrpcHubConfig`]):
//!
//! ```yaml
//! modules:
//!   grpc-hub:
//!     config:
//!       bind_addr: 127.0.0.1:50051   # the default; port 0 picks a free port
//!       uds_path: /run/my-host/grpc.sock
//!       instance_ttl: 15s
//!       listen: when_needed          # the default; `always` listens with nothing to serve
//! ```
//!
//! The hub opens its ports only when the host needs them: some module serves gRPC, the host
//! runs modules out of process, or its config says `listen: always` (see [`ListenPolicy`]).
//! A REST-only host therefore listens on its REST port alone.

mod config;
mod error;
mod health;
mod listeners;
mod module;

pub use config::{GrpcHubConfig, ListenPolicy};
pub use error::GrpcHubError;
pub use module::GrpcHub;
