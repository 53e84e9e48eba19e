//! With `auth`: health, readiness and the docs stay public (the docs behind a token with
//! `protect_docs`), routes added without an `OperationBuilder` need a token, and the OpenAPI
//! document describes the bearer scheme, each operation's `security` (`[]` when public)
//! and its 401/403 answers. Config that would accept unsigned or HMAC tokens fails
//! start-up naming the key.

use std::process::Stdio;
use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit_tests::security::{SecureApi, TestSigner, auth_modules, claims, jwks, jwks_file};
use modkit_tests::{ServedHost, TestHost, error_chain, register_gateway, with_loopback_gateway};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_docs_stay_public_and_the_document_describes_the_security() {
    let signer = TestSigner::eddsa("k");
    let file = jwks_file("public-routes", &jwks(&[&signer]));
    let mut builder = RegistryBuilder::default();
    SecureApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        auth_modules(json!({ "jwks_file": file }), json!({})),
    )
    .await;
    for path in ["/healthz", "/readyz", "/openapi.json", "/docs/"] {
        assert_eq!(host.get(path).await.status(), StatusCode::OK, "{path}");
    }
    assert_eq!(
        host.get("/secure/raw").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        host.get("/no-such-route").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let token = signer.sign(&claims("a", ""));
    let raw = host
        .client()
        .get(host.url("/secure/raw"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::OK);

    let document: serde_json::Value = host.get("/openapi.json").await.json().await.unwrap();
    assert_eq!(
        document["components"]["securitySchemes"]["bearerAuth"],
        json!({ "type": "http", "scheme": "bearer", "bearerFormat": "JWT" })
    );
    assert_eq!(document["security"], json!([{ "bearerAuth": [] }]));
    let operation = |path: &str| document["paths"][path]["get"].clone();
    assert_eq!(operation("/secure/public")["security"], json!([]));
    assert!(operation("/secure/public")["responses"]["401"].is_null());
    assert_eq!(
        operation("/secure/whoami")["security"],
        json!([{ "bearerAuth": [] }])
    );
    assert!(operation("/secure/whoami")["responses"]["401"].is_object());
    assert!(operation("/secure/whoami")["responses"]["403"].is_null());
    assert_eq!(
        operation("/secure/admin")["security"],
        json!([{ "bearerAuth": ["admin"] }])
    );
    let forbidden = &operation("/secure/admin")["responses"]["403"];
    assert_eq!(
        forbidden["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/Problem"
    );
    assert!(document["components"]["schemas"]["Problem"].is_object());
    host.shut_down().await.assert_ok();
    let _ = std::fs::remove_file(file);

    // A real validator accepts the document with its security.
    let Some(validator) = modkit_tests::outside::tool(
        "health_and_docs_stay_public_and_the_document_describes_the_security",
        "openapi-spec-validator",
        "pip install openapi-spec-validator",
    ) else {
        return;
    };
    let path = std::env::temp_dir().join(format!(
        "modkit-secured-openapi-{}.json",
        std::process::id()
    ));
    std::fs::write(&path, document.to_string()).unwrap();
    let run = tokio::process::Command::new(validator)
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    // The validator is a Python program: its start-up is slow on a loaded machine.
    let output = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("openapi-spec-validator finished within a minute")
        .expect("`openapi-spec-validator` runs (`.ci/run` installs it)");
    let _ = std::fs::remove_file(&path);
    assert!(
        output.status.success(),
        "the validator refused the document:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protect_docs_puts_the_document_and_the_docs_page_behind_a_token() {
    let signer = TestSigner::rs256("k");
    let file = jwks_file("protect-docs", &jwks(&[&signer]));
    let mut modules = auth_modules(json!({ "jwks_file": file }), json!({}));
    modules["api-gateway"]["config"]["auth"]["protect_docs"] = json!(true);
    let mut builder = RegistryBuilder::default();
    SecureApi::register(&mut builder);
    let host = ServedHost::start(builder, modules).await;
    for path in ["/openapi.json", "/docs/"] {
        assert_eq!(
            host.get(path).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        let token = signer.sign(&claims("reader", ""));
        let response = host
            .client()
            .get(host.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    for path in ["/healthz", "/readyz"] {
        assert_eq!(host.get(path).await.status(), StatusCode::OK, "{path}");
    }
    host.shut_down().await.assert_ok();
    let _ = std::fs::remove_file(file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_auth_every_route_is_served_as_before() {
    let mut builder = RegistryBuilder::default();
    let api = SecureApi::register(&mut builder);
    let host = ServedHost::start(builder, json!({})).await;
    assert_eq!(host.get("/secure/admin").await.status(), StatusCode::OK);
    let document: serde_json::Value = host.get("/openapi.json").await.json().await.unwrap();
    assert!(document["components"]["securitySchemes"].is_null());
    assert!(document["paths"]["/secure/admin"]["get"]["security"].is_null());
    assert_eq!(api.calls(), 1);
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_or_hmac_algorithms_or_two_key_sources_fail_start_up_naming_the_key() {
    for (extra, expected) in [
        (
            json!({ "algorithms": ["none"] }),
            "`modules.api-gateway.config.auth.jwt.algorithms`: `none`",
        ),
        (
            json!({ "algorithms": ["RS256", "HS256"] }),
            "`HS256` is an HMAC algorithm",
        ),
        (
            json!({ "jwks_url": "https://issuer.test/keys" }),
            "more than one key source",
        ),
        (
            json!({ "jwks_file": "/nonexistent/jwks.json" }),
            "/nonexistent/jwks.json",
        ),
    ] {
        let mut builder = RegistryBuilder::default();
        register_gateway(&mut builder);
        let modules = auth_modules(json!({ "jwks_file": "/nonexistent/jwks.json" }), extra);
        let finished = TestHost::new(builder)
            .config(with_loopback_gateway(modules))
            .run_expecting_failure()
            .await;
        let error = error_chain(finished.error());
        assert!(
            error.contains(expected),
            "expected `{expected}` in: {error}"
        );
    }
}
