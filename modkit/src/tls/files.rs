//! Reading PEM files into what rustls takes, with errors that name the config key and the
//! file.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;

use super::{TlsConfig, TlsError};

/// The contents of a certificate file and its key file, as last read.
pub(super) struct KeyPairFiles {
    cert: Vec<u8>,
    key: Vec<u8>,
}

impl KeyPairFiles {
    /// Reads both files of `config`; `section` is where `config` is in the host's config.
    pub(super) fn read(section: &str, config: &TlsConfig) -> Result<Self, TlsError> {
        Ok(Self {
            cert: read(section, "cert_file", &config.cert_file)?,
            key: read(section, "key_file", &config.key_file)?,
        })
    }

    /// A digest of both contents, to tell whether the files changed since.
    pub(super) fn fingerprint(&self) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.cert.hash(&mut hasher);
        self.key.hash(&mut hasher);
        hasher.finish()
    }

    /// The certificate chain with its signing key, checked to match.
    pub(super) fn certified_key(
        &self,
        section: &str,
        config: &TlsConfig,
        provider: &CryptoProvider,
    ) -> Result<CertifiedKey, TlsError> {
        let cert_error = invalid(section, "cert_file", &config.cert_file);
        let key_error = invalid(section, "key_file", &config.key_file);
        let chain = CertificateDer::pem_slice_iter(&self.cert)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| cert_error(error.to_string()))?;
        if chain.is_empty() {
            return Err(cert_error("no `CERTIFICATE` PEM block".to_owned()));
        }
        // The key parser's errors name the PEM structure, never the key's bytes.
        let key = PrivateKeyDer::from_pem_slice(&self.key).map_err(|error| {
            key_error(format!(
                "no usable private key (PKCS#8, PKCS#1 or SEC1 PEM): {error}"
            ))
        })?;
        let signing = provider
            .key_provider
            .load_private_key(key)
            .map_err(|error| key_error(format!("unsupported private key: {error}")))?;
        let certified = CertifiedKey::new(chain, signing);
        if let Err(error) = certified.keys_match() {
            if !matches!(
                error,
                rustls::Error::InconsistentKeys(rustls::InconsistentKeys::Unknown)
            ) {
                return Err(key_error(format!(
                    "the key does not belong to the certificate in `{section}.cert_file`: {error}"
                )));
            }
        }
        Ok(certified)
    }
}

/// The CA certificates of `client_ca_file`, which clients' certificates must chain to.
pub(super) fn client_roots(section: &str, path: &Path) -> Result<Arc<RootCertStore>, TlsError> {
    let error = invalid(section, "client_ca_file", path);
    let pem = read(section, "client_ca_file", path)?;
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| error(e.to_string()))?;
        roots
            .add(cert)
            .map_err(|e| error(format!("not a usable CA certificate: {e}")))?;
    }
    if roots.is_empty() {
        return Err(error("no `CERTIFICATE` PEM block".to_owned()));
    }
    Ok(Arc::new(roots))
}

fn read(section: &str, field: &str, path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        key: format!("{section}.{field}"),
        path: path.to_owned(),
        source,
    })
}

fn invalid<'a>(
    section: &'a str,
    field: &'a str,
    path: &'a Path,
) -> impl Fn(String) -> TlsError + 'a {
    move |reason| TlsError::Invalid {
        key: format!("{section}.{field}"),
        path: path.to_owned(),
        reason,
    }
}
