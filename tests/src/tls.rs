//! Test certificates, generated at run time with `rcgen`: a CA, and certificates it signs
//! for `127.0.0.1` and `localhost` that serve both as server and as client certificates.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};

/// A CA in a directory of its own, and the certificates it issued there.
pub struct TestPki {
    dir: PathBuf,
    ca: rcgen::Certificate,
    ca_key: KeyPair,
}

/// A certificate and its key, as PEM files (owner-only) and as DER.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The certificate (PEM).
    pub cert_file: PathBuf,
    /// Its private key (PKCS#8 PEM).
    pub key_file: PathBuf,
    /// The certificate's DER, to compare with what a server presents.
    pub der: Vec<u8>,
    cert_pem: String,
    key_pem: String,
}

impl TestPki {
    /// A new CA named after `test`, in a fresh directory under the temporary directory.
    ///
    /// # Panics
    /// If the keys cannot be generated or the directory created.
    pub fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("modkit-tls-{test}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, format!("modkit test CA {test}"));
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_key = KeyPair::generate().unwrap();
        let ca = params.self_signed(&ca_key).unwrap();
        std::fs::write(dir.join("ca.pem"), ca.pem()).unwrap();
        Self { dir, ca, ca_key }
    }

    /// The CA certificate's PEM file.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// The CA certificate in PEM.
    pub fn ca_pem(&self) -> String {
        self.ca.pem()
    }

    /// A certificate for `127.0.0.1` and `localhost` with common name `name`, good for
    /// server and client authentication, written to `<name>.pem` and `<name>.key`.
    ///
    /// # Panics
    /// If it cannot be generated or written.
    pub fn issue(&self, name: &str) -> Issued {
        let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        params
            .subject_alt_names
            .push(SanType::IpAddress([127, 0, 0, 1].into()));
        params.distinguished_name.push(DnType::CommonName, name);
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.ca, &self.ca_key).unwrap();
        let issued = Issued {
            cert_file: self.dir.join(format!("{name}.pem")),
            key_file: self.dir.join(format!("{name}.key")),
            der: cert.der().to_vec(),
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        };
        issued.write_to(&issued.cert_file, &issued.key_file);
        issued
    }

    /// A path in the PKI's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A rustls client configuration trusting the CA, presenting `identity` if given.
    ///
    /// # Panics
    /// If the configuration cannot be built.
    pub fn client_config(
        &self,
        identity: Option<&Issued>,
        alpn: &[&[u8]],
    ) -> Arc<rustls::ClientConfig> {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};

        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.ca.der().clone()).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots);
        let mut config = match identity {
            Some(issued) => builder
                .with_client_auth_cert(
                    vec![CertificateDer::from_pem_slice(issued.cert_pem.as_bytes()).unwrap()],
                    PrivateKeyDer::from_pem_slice(issued.key_pem.as_bytes()).unwrap(),
                )
                .unwrap(),
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Arc::new(config)
    }
}

impl Issued {
    /// The certificate in PEM.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The key in PEM.
    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// Replaces `cert_file` and `key_file` with this certificate and key, each by an atomic
    /// rename, as a certificate manager would.
    ///
    /// # Panics
    /// If the files cannot be written.
    pub fn write_to(&self, cert_file: &Path, key_file: &Path) {
        for (path, contents) in [(cert_file, &self.cert_pem), (key_file, &self.key_pem)] {
            let partial = path.with_extension("partial");
            std::fs::write(&partial, contents).unwrap();
            std::fs::rename(&partial, path).unwrap();
        }
    }
}

/// The DER of the certificate a TLS server at `addr` presents to a new connection.
///
/// # Panics
/// If the connection or the handshake fails.
pub async fn presented_certificate(
    addr: std::net::SocketAddr,
    client: Arc<rustls::ClientConfig>,
) -> Vec<u8> {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = tokio_rustls::TlsConnector::from(client)
        .connect(name, stream)
        .await
        .unwrap();
    let (_, connection) = tls.get_ref();
    connection.peer_certificates().unwrap()[0].to_vec()
}

impl std::fmt::Debug for TestPki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestPki")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Drop for TestPki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
