//! With `tls.client_ca_file`, the gRPC hub serves a client presenting a certificate from
//! that CA over TLS, and refuses one without a certificate, or with a certificate from
//! another CA, during the handshake.

use std::time::Duration;

use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit_tests::tls::{Issued, TestPki};
use modkit_tests::{TestHost, loopback_hub, register_grpc_hub, within};
use serde_json::json;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

/// Checks the hub's health over TLS trusting `pki`, presenting `identity`.
async fn check(endpoint: &str, pki: &TestPki, identity: Option<&Issued>) -> Result<i32, String> {
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(pki.ca_pem()))
        .domain_name("localhost");
    if let Some(issued) = identity {
        tls = tls.identity(Identity::from_pem(issued.cert_pem(), issued.key_pem()));
    }
    let channel = Channel::from_shared(endpoint.to_owned())
        .unwrap()
        .tls_config(tls)
        .unwrap()
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await
        .map_err(|error| format!("connect: {error:?}"))?;
    HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .map(|response| response.into_inner().status)
        .map_err(|status| format!("call: {status:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_clients_with_a_certificate_from_the_ca_are_served() {
    let pki = TestPki::new("grpc-mtls");
    let server = pki.issue("hub");
    let client = pki.issue("client");
    let stranger_pki = TestPki::new("grpc-mtls-stranger");
    let stranger = stranger_pki.issue("stranger");

    let mut builder = RegistryBuilder::default();
    let hub = register_grpc_hub(&mut builder);
    let config = loopback_hub(
        ModulesConfig::empty(),
        json!({ "tls": {
            "cert_file": server.cert_file,
            "key_file": server.key_file,
            "client_ca_file": pki.ca_file(),
        } }),
    );
    let host = TestHost::new(builder).config(config).spawn();
    assert!(host.wait_ready().await);
    let endpoint = modkit::GrpcHubCapability::bound_endpoint(&*hub).unwrap();
    assert!(endpoint.starts_with("https://127.0.0.1:"), "{endpoint}");

    let serving = tonic_health::ServingStatus::Serving as i32;
    assert_eq!(
        within(
            "a call with a client certificate",
            check(&endpoint, &pki, Some(&client))
        )
        .await,
        Ok(serving)
    );
    let without = within("a call without a certificate", check(&endpoint, &pki, None)).await;
    assert!(without.is_err(), "served without a client certificate");
    let foreign = within(
        "a call with another CA's certificate",
        check(&endpoint, &pki, Some(&stranger)),
    )
    .await;
    assert!(foreign.is_err(), "served a certificate from another CA");
    host.shut_down().await.assert_ok();
}
