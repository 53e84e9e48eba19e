//! A directory backend's local view, as the rest of modkit reads it.

use std::fmt;
use std::sync::Arc;

use super::ServiceEndpoint;

/// A directory kept in this process's memory and current by its backend (the etcd view,
/// [`EtcdView`](crate::directory::etcd::EtcdView)): resolving reads memory only.
///
/// A host whose directory is such a backend puts its view into the ClientHub as
/// `Arc<dyn DirectoryView>`; [`RemoteService`](crate::directory::RemoteService) resolves
/// through it, and the api-gateway's `/healthz` shows whether it is
/// [`degraded`](Self::degraded).
pub trait DirectoryView: Send + Sync + fmt::Debug {
    /// The live endpoints serving `service` (`package.Service`), or `None` when none is
    /// known. Takes no lock that the backend holds while updating, and allocates nothing.
    fn resolve(&self, service: &str) -> Option<Arc<[ServiceEndpoint]>>;

    /// Counts the view's changes: when it has not moved, nothing resolved differs.
    fn generation(&self) -> u64;

    /// Whether the backend cannot be reached: the view serves what it knew last.
    fn degraded(&self) -> bool;

    /// The backend's name, for health reports (`etcd`).
    fn backend(&self) -> &'static str;
}
