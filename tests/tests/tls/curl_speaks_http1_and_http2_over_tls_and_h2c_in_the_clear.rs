//! curl, trusting only the test CA, gets `/healthz` over HTTPS with HTTP/1.1 and with
//! HTTP/2 (chosen by ALPN); in the clear, HTTP/1.1 and HTTP/2 with prior knowledge both
//! work on the same port. Under TLS the gateway keeps answering a request hyper cannot
//! read with a problem, and its handlers still run.

use std::process::Stdio;

use modkit::registry::RegistryBuilder;
use modkit_tests::outside::tool;
use modkit_tests::tls::TestPki;
use modkit_tests::{JsonRoute, ServedHost, within};
use serde_json::json;

const TEST: &str = "curl_speaks_http1_and_http2_over_tls_and_h2c_in_the_clear";

/// Runs curl with `args`; returns its output, which ends with `<status> <http version>`.
async fn curl(curl: &std::path::Path, args: &[&str]) -> String {
    let output = within(
        "curl",
        tokio::process::Command::new(curl)
            .args(["--silent", "--show-error", "--max-time", "10"])
            .args(args)
            .args(["--write-out", "\n%{http_code} %{http_version}"])
            .stdin(Stdio::null())
            .output(),
    )
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "curl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn routes() -> RegistryBuilder {
    let mut builder = RegistryBuilder::default();
    JsonRoute::<Vec<String>>::register("hello", "/v1/hello", "hello", &mut builder);
    builder
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_gets_http1_and_http2_over_tls() {
    let Some(curl_path) = tool(TEST, "curl", "apt-get install curl") else {
        return;
    };
    let pki = TestPki::new("curl");
    let server = pki.issue("server");
    let host = ServedHost::start(
        routes(),
        json!({ "api-gateway": { "config": { "tls": {
            "cert_file": server.cert_file,
            "key_file": server.key_file,
        } } } }),
    )
    .await;
    let url = format!("https://localhost:{}/v1/hello", host.addr().port());
    let ca = pki.ca_file();
    let ca = ca.to_str().unwrap();
    let resolve = format!("localhost:{}:127.0.0.1", host.addr().port());
    for (flag, version) in [("--http1.1", "1.1"), ("--http2", "2")] {
        let out = curl(
            &curl_path,
            &["--cacert", ca, "--resolve", &resolve, flag, &url],
        )
        .await;
        assert_eq!(out, format!("[]\n200 {version}"), "{flag}");
    }
    // A request target too long for hyper still gets the gateway's problem under TLS.
    let long = format!("{url}?q={}", "a".repeat(70_000));
    let out = curl(
        &curl_path,
        &["--cacert", ca, "--resolve", &resolve, "--http1.1", &long],
    )
    .await;
    assert!(out.ends_with("414 1.1"), "{out}");
    assert!(out.contains("\"status\":414"), "{out}");
    // Without the test CA, curl does not trust the server.
    let refused = tokio::process::Command::new(&curl_path)
        .args(["--silent", "--max-time", "10", "--resolve", &resolve, &url])
        .output()
        .await
        .unwrap();
    assert!(!refused.status.success());
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cleartext_serves_http1_and_http2_with_prior_knowledge() {
    let Some(curl_path) = tool(TEST, "curl", "apt-get install curl") else {
        return;
    };
    let host = ServedHost::start(routes(), json!({})).await;
    let url = host.url("/v1/hello");
    for (flag, version) in [("--http1.1", "1.1"), ("--http2-prior-knowledge", "2")] {
        let out = curl(&curl_path, &[flag, &url]).await;
        assert_eq!(out, format!("[]\n200 {version}"), "{flag}");
    }
    host.shut_down().await.assert_ok();
}
