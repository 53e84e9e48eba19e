use std::net::SocketAddr;
use std::path::PathBuf;

/// The gRPC hub could not start.
#[derive(Debug, thiserror::Error)]
pub enum GrpcHubError {
    /// The TCP address could not be bound.
    #[error(
        "cannot listen on `{addr}` (set `modules.grpc-hub.config.bind_addr`, port 0 picks a free one)"
    )]
    Bind {
        /// The configured address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The Unix socket could not be bound.
    #[error("cannot listen on the Unix socket `{}`", path.display())]
    BindUnixSocket {
        /// The configured path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The `tls` certificate, key or client CA cannot be used.
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    /// A hook ran before the one that prepares it (the runtime always runs `pre_init` and
    /// `init` before `start`; this only happens when the hub is driven by hand).
    #[error("the gRPC hub's `{hook}` ran before its `{needs}`")]
    OutOfOrder {
        /// The hook that ran.
        hook: &'static str,
        /// The hook that should have run first.
        needs: &'static str,
    },
}
