//! The certificate a process presents, and the CA it trusts, when it calls the gRPC
//! servers of its host and of the host's instances over TLS.

use std::fmt;
use std::path::Path;

use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Identity};

use crate::tls::{TlsConfig, TlsError};

/// How this process's gRPC clients call `https://` endpoints of the host's hub and of
/// out-of-process instances: trusting the CA of `client_ca_file` and presenting the
/// certificate of `cert_file` / `key_file` (mutual TLS). The host and its children share one
/// such identity: the `grpc-hub`'s `tls` section.
///
/// The `grpc-hub` puts one into the host's ClientHub when its `tls` has a
/// `client_ca_file`; remote clients ([`RemoteService`](super::RemoteService)) use it for
/// their connections. An out-of-process child gets the same paths through its secret file.
///
/// ```no_run
/// use modkit::directory::{DirectoryClient, GrpcClientTls};
/// use modkit::tls::TlsConfig;
///
/// # fn demo(config: TlsConfig) -> Result<(), Box<dyn std::error::Error>> {
/// let tls = GrpcClientTls::from_config("modules.grpc-hub.config.tls", &config)?;
/// let directory = DirectoryClient::connect_lazy_with("https://127.0.0.1:50051", Some(&tls))?;
/// # let _ = directory;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct GrpcClientTls {
    config: ClientTlsConfig,
    paths: TlsConfig,
}

impl GrpcClientTls {
    /// Reads the CA, certificate and key of `config` (found at `section` in the host's
    /// config, for errors); `client_ca_file` is required: it is the CA the servers'
    /// certificates are checked against.
    ///
    /// # Errors
    /// A file that cannot be read, or no `client_ca_file`, naming the key.
    pub fn from_config(section: &str, config: &TlsConfig) -> Result<Self, TlsError> {
        let Some(ca_file) = &config.client_ca_file else {
            return Err(TlsError::Invalid {
                key: format!("{section}.client_ca_file"),
                path: Default::default(),
                reason: "mutual TLS between the host and its instances needs the CA that \
                         signed their certificates"
                    .to_owned(),
            });
        };
        let read = |field: &str, path: &Path| {
            std::fs::read(path).map_err(|source| TlsError::Read {
                key: format!("{section}.{field}"),
                path: path.to_owned(),
                source,
            })
        };
        let ca = read("client_ca_file", ca_file)?;
        let cert = read("cert_file", &config.cert_file)?;
        let key = read("key_file", &config.key_file)?;
        Ok(Self {
            config: ClientTlsConfig::new()
                .ca_certificate(Certificate::from_pem(ca))
                .identity(Identity::from_pem(cert, key)),
            paths: config.clone(),
        })
    }

    /// The files it was read from (what a child is handed).
    pub fn paths(&self) -> &TlsConfig {
        &self.paths
    }

    /// `endpoint` set up to use this identity when its scheme is `https`; unchanged
    /// otherwise.
    ///
    /// # Errors
    /// tonic refuses the TLS configuration.
    pub fn apply(&self, endpoint: Endpoint) -> Result<Endpoint, tonic::transport::Error> {
        if endpoint.uri().scheme_str() == Some("https") {
            endpoint.tls_config(self.config.clone())
        } else {
            Ok(endpoint)
        }
    }
}

/// `endpoint` with `tls` applied, if any.
pub(crate) fn with_tls(
    endpoint: Endpoint,
    tls: Option<&GrpcClientTls>,
) -> Result<Endpoint, tonic::transport::Error> {
    match tls {
        Some(tls) => tls.apply(endpoint),
        None => Ok(endpoint),
    }
}

impl fmt::Debug for GrpcClientTls {
    // Paths only: never the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GrpcClientTls")
            .field("cert_file", &self.paths.cert_file)
            .field("client_ca_file", &self.paths.client_ca_file)
            .finish_non_exhaustive()
    }
}
