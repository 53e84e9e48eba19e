//! A typed registry of in-process clients: one module registers the implementation of its
//! API trait, the others look it up by that trait.
//!
//! See [`ClientHub`] for the whole API and an example.

mod error;
mod hub;
mod provenance;
mod scope;
mod snapshot;
mod type_key;

pub use error::ClientHubError;
pub use hub::ClientHub;
pub use scope::ClientScope;

pub(crate) use provenance::DependencyGuard;
