//! The `grpc-hub` built-in module (feature `grpc-hub`, on by default): one tonic server for
//! every gRPC service of the host, gRPC health, and the [directory](crate::directory).
//!
//! Linking `modkit` with the feature registers it in every host that discovers its modules.
//! Configure it under `modules.grpc-hub.config` ([`GrpcHubConfig`]):
//!
//! ```yaml
//! modules:
//!   grpc-hub:
//!     config:
//!       bind_addr: 127.0.0.1:50051   # the default; port 0 picks a free port
//!       uds_path: /run/my-host/grpc.sock
//!       instance_ttl: 15s
//!       listen: when_needed          # the default; `always` listens with nothing to serve
//!       tls:                         # optional: serve TLS on bind_addr
//!         cert_file: /etc/my-host/tls/server.pem
//!         key_file: /etc/my-host/tls/server.key
//!         client_ca_file: /etc/my-host/tls/ca.pem   # optional: require client certificates
//! ```
//!
//! With `tls`, the TCP socket serves TLS (HTTP/2 by ALPN), the endpoint the hub publishes is
//! `https://...`, and the certificate is reloaded when its files change (see
//! [`crate::tls`]); with `client_ca_file`, a client without a certificate from that CA is
//! refused during the handshake (mutual TLS). The Unix socket, owner-only, stays cleartext.
//!
//! The hub opens its ports only when the host needs them: some module serves gRPC, the host
//! runs modules out of process, or its config says `listen: always` (see [`ListenPolicy`]).
//! A REST-only host therefore listens on its REST port alone.

mod config;
mod error;
mod health;
mod listeners;
mod module;

pub use config::{GrpcHubConfig, ListenPolicy};
pub use error::GrpcHubError;
pub use module::GrpcHub;
