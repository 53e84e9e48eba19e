//! Running a chosen set of modules in a test, the way a host runs them.
//!
//! [`TestHost`] picks modules from those linked into the test binary, gives them config,
//! puts fake clients into the [`ClientHub`](crate::ClientHub) before any module runs, moves
//! the built-in servers to ephemeral loopback ports, and stops everything at the end.
//! [`RunningTestHost::http`] sends real HTTP requests to the host's `api-gateway`.

mod error;
#[cfg(feature = "api-gateway")]
mod http;
mod stand_in;
mod test_host;

pub use error::TestHostError;
#[cfg(feature = "api-gateway")]
pub use http::{HttpClient, HttpResponse, TestHttpError};
pub use test_host::{RunningTestHost, TestHost};
