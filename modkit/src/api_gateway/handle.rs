use std::fmt;
use std::net::SocketAddr;
use std::sync::OnceLock;

use utoipa::openapi::OpenApi;

/// What other modules and tests can learn about the running REST host; the `api-gateway`
/// module registers it in the ClientHub in its `init`.
///
/// ```
/// use modkit::api_gateway::ApiGatewayHandle;
///
/// let handle = ApiGatewayHandle::default();
/// assert_eq!(handle.local_addr(), None); // not started yet
/// assert!(handle.openapi().is_none()); // no rest phase yet
/// ```
#[derive(Default)]
pub struct ApiGatewayHandle {
    local_addr: OnceLock<SocketAddr>,
    openapi: OnceLock<OpenApi>,
}

impl ApiGatewayHandle {
    /// The address the server listens on (with the real port when configured with port
    /// 0), once it has started.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.local_addr.get().copied()
    }

    /// The OpenAPI document served at `/openapi.json`, once the rest phase finalised it
    /// (also when the host was only described, as `graph --format json` does).
    pub fn openapi(&self) -> Option<&OpenApi> {
        self.openapi.get()
    }

    pub(crate) fn set_local_addr(&self, addr: SocketAddr) {
        let _ = self.local_addr.set(addr);
    }

    pub(crate) fn set_openapi(&self, document: OpenApi) {
        let _ = self.openapi.set(document);
    }
}

impl fmt::Debug for ApiGatewayHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiGatewayHandle")
            .field("local_addr", &self.local_addr.get())
            .field("openapi", &self.openapi.get().map(|_| "..."))
            .finish()
    }
}
