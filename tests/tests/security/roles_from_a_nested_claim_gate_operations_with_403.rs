//! `auth.jwt.roles_claim` names where a token's roles are (`realm_access.roles`, a dotted
//! path): an operation that `require_roles(["editor"])` serves a token with that role,
//! whose `SecurityContext` lists it, and answers any other valid token 403 with an
//! `insufficient_scope` challenge before its handler runs. The OpenAPI document lists the
//! role in the operation's security requirement, with the 403 answer.

use modkit::registry::RegistryBuilder;
use modkit_tests::ServedHost;
use modkit_tests::security::{SecureApi, TestSigner, auth_modules, claims, jwks, jwks_file};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_tokens_with_the_role_reach_the_handler() {
    let signer = TestSigner::es256("roles");
    let file = jwks_file("roles", &jwks(&[&signer]));
    let mut builder = RegistryBuilder::default();
    let api = SecureApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        auth_modules(
            json!({ "jwks_file": file }),
            json!({ "roles_claim": "realm_access.roles" }),
        ),
    )
    .await;

    let mut editor = claims("eve", "read");
    editor["realm_access"] = json!({ "roles": ["viewer", "editor"] });
    let response = host
        .client()
        .get(host.url("/secure/editors"))
        .bearer_auth(signer.sign(&editor))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let roles: Vec<String> = response.json().await.unwrap();
    assert_eq!(roles, ["viewer", "editor"]);
    assert_eq!(api.calls(), 1);

    let mut viewer = claims("val", "read admin");
    viewer["realm_access"] = json!({ "roles": ["viewer"] });
    // A top-level `roles` claim is not where this config looks.
    viewer["roles"] = json!(["editor"]);
    let response = host
        .client()
        .get(host.url("/secure/editors"))
        .bearer_auth(signer.sign(&viewer))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        challenge.contains("error=\"insufficient_scope\""),
        "{challenge}"
    );
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["status"], 403);
    assert!(
        problem["detail"].as_str().unwrap().contains("editor"),
        "{problem}"
    );
    assert_eq!(
        api.calls(),
        1,
        "the handler ran for a token without the role"
    );

    let document: serde_json::Value = host.get("/openapi.json").await.json().await.unwrap();
    let operation = &document["paths"]["/secure/editors"]["get"];
    assert_eq!(operation["security"], json!([{ "bearerAuth": ["editor"] }]));
    assert!(operation["responses"]["403"].is_object(), "{operation}");
    host.shut_down().await.assert_ok();
    let _ = std::fs::remove_file(file);
}
