//! A valid token of each accepted algorithm (RS256, ES256, EdDSA) reaches the handler,
//! which gets the caller's `SecurityContext`; code it reaches through the ClientHub sees
//! the same caller; a public operation serves anonymous callers too.

use modkit::registry::RegistryBuilder;
use modkit_tests::ServedHost;
use modkit_tests::security::{
    SecureApi, TestSigner, Whoami, auth_modules, claims, jwks, jwks_file,
};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_algorithm_is_accepted_and_the_handler_sees_the_caller() {
    let signers = [
        TestSigner::rs256("rsa"),
        TestSigner::es256("ec"),
        TestSigner::eddsa("ed"),
    ];
    let file = jwks_file("each-algorithm", &jwks(&signers.iter().collect::<Vec<_>>()));
    let mut builder = RegistryBuilder::default();
    let api = SecureApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        auth_modules(json!({ "jwks_file": file }), json!({})),
    )
    .await;

    for signer in &signers {
        let subject = format!("user-{}", signer.kid());
        let token = signer.sign(&claims(&subject, "read admin"));
        for path in ["/secure/whoami", "/secure/admin"] {
            let response = host
                .client()
                .get(host.url(path))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{} {path}", signer.kid());
            let whoami: Whoami = response.json().await.unwrap();
            assert_eq!(
                whoami,
                Whoami {
                    subject: Some(subject.clone()),
                    tenant: Some("acme".to_owned()),
                    scopes: vec!["read".to_owned(), "admin".to_owned()],
                    token_id: Some(format!("jti-{subject}")),
                    subject_via_client_hub: Some(subject.clone()),
                }
            );
        }
    }
    // A token without a `kid` is tried against the keys of its algorithm.
    let anonymous_kid = signers[1].sign_with_kid(&claims("no-kid", "read"), None);
    let response = host
        .client()
        .get(host.url("/secure/whoami"))
        .bearer_auth(&anonymous_kid)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // A public operation serves a caller without a token, with no context.
    let public: Whoami = host.get("/secure/public").await.json().await.unwrap();
    assert_eq!(public.subject, None);
    assert_eq!(public.subject_via_client_hub, None);
    assert_eq!(api.calls(), 8);
    host.shut_down().await.assert_ok();
    let _ = std::fs::remove_file(file);
}
