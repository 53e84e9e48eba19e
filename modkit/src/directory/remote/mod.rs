//! Calling a gRPC service wherever it runs: [`RemoteService`] finds its live instances
//! through the host's directory, keeps following them, gives every call a deadline and
//! retries, once, a call that never reached an instance.

mod error;
mod outgoing;
mod service;
mod view;

pub use error::RemoteCallError;
pub use outgoing::{Outgoing, RemoteChannel};
pub use service::RemoteService;
