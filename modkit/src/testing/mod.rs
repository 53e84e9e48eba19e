//! Running a chosen set of modules in a test, the way a host runs them.
//!
//! [`TestHost`] picks modules from those linked into the test binary, gives them config,
//! puts fake clients into the [`ClientHub`](crate::ClientHub) before any module runs, moves
//! the built-in servers to ephemeral loopback ports, and stops everything at the end.

mod error;
mod stand_in;
mod test_host;

pub use error::TestHostError;
pub use test_host::{RunningTestHost, TestHost};
