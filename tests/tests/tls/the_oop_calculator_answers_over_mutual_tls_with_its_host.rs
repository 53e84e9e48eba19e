//! With the hub's `tls.client_ca_file` set, the host and its out-of-process child speak
//! mutual TLS: the child serves its gRPC port over TLS and registers with the hub over TLS,
//! presenting the hub's certificate (handed over in its secret file), and the host calls it
//! presenting the same. `GET /v1/calc/add` answers through the child; a client without a
//! certificate is refused at the child's port.

use modkit::directory::{DirectoryClient, GrpcClientTls};
use modkit::tls::TlsConfig;
use modkit_examples::calculator::SERVICE_NAME;
use modkit_tests::tls::TestPki;
use modkit_tests::{OopCalculator, within};
use reqwest::StatusCode;
use serde_json::json;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

const CHILD: &str = env!("CARGO_BIN_EXE_calculator-child");

/// The code of a health check at `endpoint` (the child serves no health service: a call
/// that reaches it is `Unimplemented`), or the error that kept it from reaching it.
async fn reach(endpoint: &str, tls: ClientTlsConfig) -> Result<tonic::Code, String> {
    let channel = Channel::from_shared(endpoint.to_owned())
        .unwrap()
        .tls_config(tls)
        .unwrap()
        .connect()
        .await
        .map_err(|error| format!("{error:?}"))?;
    let status = HealthClient::new(channel)
        .check(HealthCheckRequest::default())
        .await
        .unwrap_err();
    Ok(status.code())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_and_child_call_each_other_over_mutual_tls() {
    let pki = TestPki::new("oop-mtls");
    let identity = pki.issue("host");
    let tls = json!({
        "cert_file": identity.cert_file,
        "key_file": identity.key_file,
        "client_ca_file": pki.ca_file(),
    });
    let calculator = OopCalculator::start(CHILD, json!({}), json!({ "tls": tls })).await;
    let directory = calculator.directory();
    assert!(
        directory.endpoint.starts_with("https://"),
        "{}",
        directory.endpoint
    );

    let (status, body) = calculator.get_add(2, 3).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(calculator.add(20, 22).await.unwrap(), 42);

    // The child registered an https endpoint, reached here over mutual TLS.
    let config: TlsConfig = serde_json::from_value(tls).unwrap();
    let client_tls = GrpcClientTls::from_config("tls", &config).unwrap();
    let hub = DirectoryClient::connect_lazy_with(&directory.endpoint, Some(&client_tls)).unwrap();
    let instances = within("resolving the calculator", hub.resolve(SERVICE_NAME))
        .await
        .unwrap();
    let child = &instances[0].endpoint;
    assert!(child.starts_with("https://127.0.0.1:"), "{child}");

    let trusting = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(pki.ca_pem()));
    let with_cert = trusting
        .clone()
        .identity(Identity::from_pem(identity.cert_pem(), identity.key_pem()));
    assert_eq!(
        within(
            "a call with the host's certificate",
            reach(child, with_cert)
        )
        .await,
        Ok(tonic::Code::Unimplemented)
    );
    // Refused in the handshake: under TLS 1.3 the client learns it at its first call,
    // which fails without reaching the server's routing (no `Unimplemented`).
    let without = within("a call without a certificate", reach(child, trusting)).await;
    assert!(
        !matches!(without, Ok(tonic::Code::Unimplemented)),
        "the child served a client without a certificate"
    );
    assert_ne!(without, Ok(tonic::Code::Ok));
    calculator.host.shut_down().await.assert_ok();
}
