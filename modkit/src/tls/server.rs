//! A server's TLS: the rustls configuration and the task that reloads its certificate.

use std::sync::{Arc, Mutex};

use rustls::ServerConfig;
use rustls::crypto::CryptoProvider;
use rustls::server::WebPkiClientVerifier;

use super::files::{KeyPairFiles, client_roots};
use super::{ReloadingCert, TlsConfig, TlsError};

/// A server's TLS set-up: a rustls [`ServerConfig`] whose certificate is reloaded from its
/// files. See the [module documentation](super).
///
/// ```no_run
/// use modkit::tls::{ServerTls, TlsConfig};
///
/// # async fn serve(config: TlsConfig) -> Result<(), modkit::tls::TlsError> {
/// let tls = ServerTls::load("modules.my-server.config.tls", &config, &[b"http/1.1"])?;
/// let tls = std::sync::Arc::new(tls);
/// let acceptor = tls.acceptor();
/// tokio::spawn(tls.clone().watch());
/// # let _ = acceptor;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct ServerTls {
    section: String,
    config: TlsConfig,
    provider: Arc<CryptoProvider>,
    cert: Arc<ReloadingCert>,
    server_config: Arc<ServerConfig>,
    /// The fingerprint of the files last looked at, used or not: a broken replacement is
    /// reported once, not on every look.
    seen: Mutex<u64>,
}

impl ServerTls {
    /// Reads the files of `config` (found at `section` in the host's config, for errors)
    /// and builds a server configuration offering `alpn` protocols, in order of preference.
    ///
    /// # Errors
    /// A file that cannot be read or used, naming its config key and path.
    pub fn load(section: &str, config: &TlsConfig, alpn: &[&[u8]]) -> Result<Self, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let files = KeyPairFiles::read(section, config)?;
        let cert = Arc::new(ReloadingCert::new(
            files.certified_key(section, config, &provider)?,
        ));
        let invalid = |field: &str, reason: String| TlsError::Invalid {
            key: format!("{section}.{field}"),
            path: match field {
                "client_ca_file" => config.client_ca_file.clone().unwrap_or_default(),
                _ => config.cert_file.clone(),
            },
            reason,
        };
        let builder = ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|error| invalid("cert_file", error.to_string()))?;
        let builder = match &config.client_ca_file {
            Some(path) => {
                let roots = client_roots(section, path)?;
                let verifier = WebPkiClientVerifier::builder_with_provider(roots, provider.clone())
                    .build()
                    .map_err(|error| invalid("client_ca_file", error.to_string()))?;
                builder.with_client_cert_verifier(verifier)
            }
            None => builder.with_no_client_auth(),
        };
        let mut server_config = builder.with_cert_resolver(cert.clone());
        server_config.alpn_protocols = alpn.iter().map(|protocol| protocol.to_vec()).collect();
        Ok(Self {
            section: section.to_owned(),
            config: config.clone(),
            provider,
            cert,
            server_config: Arc::new(server_config),
            seen: Mutex::new(files.fingerprint()),
        })
    }

    /// The configuration to accept connections with (`tokio_rustls::TlsAcceptor::from`).
    pub fn server_config(&self) -> Arc<ServerConfig> {
        Arc::clone(&self.server_config)
    }

    /// An acceptor that performs server handshakes with this configuration.
    pub fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        tokio_rustls::TlsAcceptor::from(self.server_config())
    }

    /// The certificate new handshakes get.
    pub fn cert(&self) -> &Arc<ReloadingCert> {
        &self.cert
    }

    /// Whether clients must present a certificate.
    pub fn requires_client_cert(&self) -> bool {
        self.config.client_ca_file.is_some()
    }

    /// Looks at the files once: when their contents changed since last looked at, loads
    /// them and swaps the certificate. Returns whether it swapped.
    ///
    /// # Errors
    /// Changed files that cannot be read or used; the previous certificate stays.
    pub fn reload(&self) -> Result<bool, TlsError> {
        let files = KeyPairFiles::read(&self.section, &self.config)?;
        let fingerprint = files.fingerprint();
        {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            if *seen == fingerprint {
                return Ok(false);
            }
            *seen = fingerprint;
        }
        let next = files.certified_key(&self.section, &self.config, &self.provider)?;
        self.cert.replace(next);
        Ok(true)
    }

    /// Reloads every `reload_interval`, for as long as it runs (spawn it; abort it when
    /// the server stops). Failures are logged and the previous certificate kept.
    pub async fn watch(self: Arc<Self>) {
        let mut ticker = tokio::time::interval(self.config.reload_interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticker.tick().await;
        loop {
            ticker.tick().await;
            let tls = Arc::clone(&self);
            // Two small files, but a slow disk must not stall a runtime worker.
            let outcome = tokio::task::spawn_blocking(move || tls.reload()).await;
            match outcome {
                Ok(Ok(true)) => tracing::info!(
                    section = %self.section,
                    cert_file = %self.config.cert_file.display(),
                    "TLS certificate reloaded"
                ),
                Ok(Ok(false)) => {}
                Ok(Err(error)) => tracing::warn!(
                    %error,
                    "cannot reload the TLS certificate; keeping the previous one"
                ),
                Err(error) => tracing::warn!(%error, "the TLS reload check failed"),
            }
        }
    }
}
