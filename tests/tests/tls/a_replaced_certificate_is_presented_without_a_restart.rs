//! When the certificate and key files are replaced, new connections get the new certificate
//! without a restart; a broken replacement keeps the previous certificate in service.

use modkit::registry::RegistryBuilder;
use modkit::tls::{ServerTls, TlsConfig};
use modkit_tests::ServedHost;
use modkit_tests::tls::{TestPki, presented_certificate};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_connections_see_the_new_certificate() {
    let pki = TestPki::new("reload");
    let first = pki.issue("first");
    let host = ServedHost::start(
        RegistryBuilder::default(),
        json!({ "api-gateway": { "config": { "tls": {
            "cert_file": first.cert_file,
            "key_file": first.key_file,
            "reload_interval": "50ms",
        } } } }),
    )
    .await;
    let client = pki.client_config(None, &[b"http/1.1"]);
    assert_eq!(
        presented_certificate(host.addr(), client.clone()).await,
        first.der
    );

    let second = pki.issue("second");
    second.write_to(&first.cert_file, &first.key_file);
    let seen = modkit_tests::within("the new certificate to be presented", async {
        loop {
            let presented = presented_certificate(host.addr(), client.clone()).await;
            if presented == second.der {
                break presented;
            }
            assert_eq!(
                presented, first.der,
                "neither the old nor the new certificate"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await;
    assert_eq!(seen, second.der);
    host.shut_down().await.assert_ok();
}

#[test]
fn a_broken_replacement_keeps_the_previous_certificate() {
    let pki = TestPki::new("broken-reload");
    let first = pki.issue("first");
    let config: TlsConfig = serde_json::from_value(json!({
        "cert_file": first.cert_file,
        "key_file": first.key_file,
    }))
    .unwrap();
    let tls = ServerTls::load("tls", &config, &[b"h2"]).unwrap();
    let current = |tls: &ServerTls| tls.cert().current().cert[0].to_vec();
    assert!(!tls.reload().unwrap(), "nothing changed yet");

    // A key that does not match the certificate: refused, the first stays.
    let other = pki.issue("other");
    std::fs::write(&first.key_file, other.key_pem()).unwrap();
    let error = tls.reload().unwrap_err().to_string();
    assert!(error.contains("tls.key_file"), "{error}");
    assert_eq!(current(&tls), first.der);
    // Looked at once: the same broken files are not reported again.
    assert!(!tls.reload().unwrap());

    // The matching pair: swapped.
    other.write_to(&first.cert_file, &first.key_file);
    assert!(tls.reload().unwrap());
    assert_eq!(current(&tls), other.der);
}
