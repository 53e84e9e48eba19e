//! The certificate a server presents, swapped when its files change.

use std::fmt;
use std::sync::Arc;

use arc_swap::ArcSwap;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

/// Presents the current certificate to every new handshake; [`ServerTls`](super::ServerTls)
/// swaps in a new one when the files change. Lock-free on the handshake path.
pub struct ReloadingCert {
    current: ArcSwap<CertifiedKey>,
}

impl ReloadingCert {
    pub(super) fn new(first: CertifiedKey) -> Self {
        Self {
            current: ArcSwap::from_pointee(first),
        }
    }

    /// The certificate new handshakes get.
    pub fn current(&self) -> Arc<CertifiedKey> {
        self.current.load_full()
    }

    pub(super) fn replace(&self, next: CertifiedKey) {
        self.current.store(Arc::new(next));
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.load_full())
    }
}

impl fmt::Debug for ReloadingCert {
    // The key stays out of debug output; the chain's length is enough to tell them apart.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReloadingCert")
            .field("chain_len", &self.current.load().cert.len())
            .finish_non_exhaustive()
    }
}
