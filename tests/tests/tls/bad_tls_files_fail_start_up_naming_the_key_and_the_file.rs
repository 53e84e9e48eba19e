//! A certificate or key the gateway cannot use fails start-up with an error naming the
//! config key and the file, and never the key's contents.

use modkit::registry::RegistryBuilder;
use modkit_tests::tls::TestPki;
use modkit_tests::{TestHost, error_chain, register_gateway, with_loopback_gateway};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_unusable_file_is_named_with_its_key() {
    let pki = TestPki::new("bad-files");
    let server = pki.issue("server");
    let other = pki.issue("other");
    let garbage = pki.path("garbage.pem");
    std::fs::write(&garbage, "not a certificate\n").unwrap();
    let missing = pki.path("missing.pem");
    let cases = [
        (
            json!({ "cert_file": missing, "key_file": server.key_file }),
            "modules.api-gateway.config.tls.cert_file",
            &missing,
        ),
        (
            json!({ "cert_file": garbage, "key_file": server.key_file }),
            "modules.api-gateway.config.tls.cert_file",
            &garbage,
        ),
        (
            json!({ "cert_file": server.cert_file, "key_file": garbage }),
            "modules.api-gateway.config.tls.key_file",
            &garbage,
        ),
        // A key that is not the certificate's.
        (
            json!({ "cert_file": server.cert_file, "key_file": other.key_file }),
            "modules.api-gateway.config.tls.key_file",
            &other.key_file,
        ),
        (
            json!({
                "cert_file": server.cert_file,
                "key_file": server.key_file,
                "client_ca_file": garbage,
            }),
            "modules.api-gateway.config.tls.client_ca_file",
            &garbage,
        ),
    ];
    for (tls, key, file) in cases {
        let mut builder = RegistryBuilder::default();
        register_gateway(&mut builder);
        let modules = json!({ "api-gateway": { "config": { "tls": tls } } });
        let finished = TestHost::new(builder)
            .config(with_loopback_gateway(modules))
            .run_expecting_failure()
            .await;
        let error = error_chain(finished.error());
        assert!(error.contains(key), "expected `{key}` in: {error}");
        let file = file.display().to_string();
        assert!(error.contains(&file), "expected `{file}` in: {error}");
        for secret in [server.key_pem(), other.key_pem()] {
            let body = secret.lines().nth(1).unwrap();
            assert!(!error.contains(body), "a key leaked into: {error}");
        }
    }
}
