use std::net::SocketAddr;
use std::sync::OnceLock;

/// What other modules and tests can learn about the running REST host; the `api-gateway`
/// module registers it in the ClientHub in its `init`.
///
/// ```
/// use modkit::api_gateway::ApiGatewayHandle;
///
/// let handle = ApiGatewayHandle::default();
/// assert_eq!(handle.local_addr(), None); // not started yet
/// ```
#[derive(Debug, Default)]
pub struct ApiGatewayHandle {
    local_addr: OnceLock<SocketAddr>,
}

impl ApiGatewayHandle {
    /// The address the server listens on (with the real port when configured with port
    /// 0), once it has started.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.local_addr.get().copied()
    }

    pub(crate) fn set_local_addr(&self, addr: SocketAddr) {
        let _ = self.local_addr.set(addr);
    }
}
