//! Running a chosen set of modules in a test, the way a host runs them.
//!
//! [`TestHost`] picks modules from those linked into the test binary, gives them config,
//! puts fake clients into the [`ClientHub`](crate::ClientHub) before any module runs, moves
//! the built-in servers to ephemeral loopback ports, and stops everything at the end.
//! [`RunningTestHost::http`] sends real HTTP requests to the host's `api-gateway`.
//! [`TestHost::fail`], [`panic`](TestHost::panic), [`delay`](TestHost::delay) and
//! [`hang`](TestHost::hang) inject a [`Fault`] into one module's hook. With the `oop` and
//! `grpc-hub` features, `TestHost::place` runs a module in a child process,
//! `TestHost::each_placement` runs one test body in both placements, and
//! `RunningTestHost::kill_child` and `stall_child` make the child crash or hang.

mod error;
mod faults;
#[cfg(feature = "api-gateway")]
mod http;
#[cfg(all(feature = "oop", feature = "grpc-hub"))]
mod placement;
mod running;
mod stand_in;
mod test_host;

pub use error::TestHostError;
pub use faults::Fault;
#[cfg(feature = "api-gateway")]
pub use http::{HttpClient, HttpResponse, TestHttpError};
#[cfg(all(feature = "oop", feature = "grpc-hub"))]
pub use placement::Placement;
pub use running::RunningTestHost;
pub use test_host::TestHost;
