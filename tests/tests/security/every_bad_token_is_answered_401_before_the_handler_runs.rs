//! Every way a token can be wrong is answered 401 (a valid one without the operation's
//! scope 403) as a problem with an RFC 6750 challenge, and no handler runs.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use modkit::registry::RegistryBuilder;
use modkit_tests::ServedHost;
use modkit_tests::security::{SecureApi, TestSigner, auth_modules, claims, jwks, jwks_file, now};
use reqwest::StatusCode;
use serde_json::json;

/// One refused request: what it sends, and the challenge's `error` it gets (`None`: a
/// bare challenge).
struct Case {
    name: &'static str,
    path: &'static str,
    authorization: Vec<String>,
    status: StatusCode,
    error: Option<&'static str>,
}

fn bearer(token: &str) -> Vec<String> {
    vec![format!("Bearer {token}")]
}

fn encode_part(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_token_is_refused_and_no_handler_runs() {
    let signer = TestSigner::rs256("rsa-1");
    let file = jwks_file("bad-tokens", &jwks(&[&signer]));
    let mut builder = RegistryBuilder::default();
    let api = SecureApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        auth_modules(json!({ "jwks_file": file }), json!({})),
    )
    .await;

    let valid = signer.sign(&claims("alice", "read"));
    let with = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut claims = claims("alice", "read");
        change(&mut claims);
        signer.sign(&claims)
    };
    let expired = with(&|c| c["exp"] = json!(now() - 120));
    let not_yet_valid = with(&|c| c["nbf"] = json!(now() + 600));
    let wrong_issuer = with(&|c| c["iss"] = json!("https://evil.test"));
    let wrong_audience = with(&|c| c["aud"] = json!("another-api"));
    let unknown_kid = signer.sign_with_kid(&claims("alice", "read"), Some("no-such-key"));
    let unsigned = format!(
        "{}.{}.",
        encode_part(&json!({ "alg": "none", "typ": "JWT", "kid": "rsa-1" })),
        encode_part(&claims("alice", "read")),
    );
    let unsigned_with_junk = format!("{unsigned}c2lnbmF0dXJl");
    // The classic confusion: HMAC with the verifier's public key (which anyone has) as
    // the secret.
    let public_pem = {
        use rsa::pkcs8::EncodePublicKey;
        let n = URL_SAFE_NO_PAD
            .decode(signer.jwk()["n"].as_str().unwrap())
            .unwrap();
        let e = URL_SAFE_NO_PAD
            .decode(signer.jwk()["e"].as_str().unwrap())
            .unwrap();
        rsa::RsaPublicKey::new(
            rsa::BigUint::from_bytes_be(&n),
            rsa::BigUint::from_bytes_be(&e),
        )
        .unwrap()
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap()
    };
    let mut hs256 = Header::new(Algorithm::HS256);
    hs256.kid = Some("rsa-1".to_owned());
    let hmac_with_public_key = jsonwebtoken::encode(
        &hs256,
        &claims("alice", "read"),
        &EncodingKey::from_secret(public_pem.as_bytes()),
    )
    .unwrap();
    let tampered = {
        let parts: Vec<&str> = valid.split('.').collect();
        let forged = encode_part(&claims("mallory", "read admin"));
        format!("{}.{forged}.{}", parts[0], parts[2])
    };
    let truncated = valid.rsplit_once('.').unwrap().0.to_owned();
    let not_base64 = valid.replacen('.', ".%%%", 1);
    let huge = format!(
        "{}.{}.{}",
        "a".repeat(32 * 1024),
        "b".repeat(32 * 1024),
        "c"
    );

    let unauthorized = |name, authorization, error| Case {
        name,
        path: "/secure/whoami",
        authorization,
        status: StatusCode::UNAUTHORIZED,
        error,
    };
    let cases = [
        unauthorized("no token", vec![], None),
        unauthorized(
            "Basic scheme",
            vec!["Basic YWxpY2U6c2VjcmV0".to_owned()],
            None,
        ),
        unauthorized("expired", bearer(&expired), Some("invalid_token")),
        unauthorized(
            "not yet valid",
            bearer(&not_yet_valid),
            Some("invalid_token"),
        ),
        unauthorized("wrong issuer", bearer(&wrong_issuer), Some("invalid_token")),
        unauthorized(
            "wrong audience",
            bearer(&wrong_audience),
            Some("invalid_token"),
        ),
        unauthorized("alg none", bearer(&unsigned), Some("invalid_token")),
        unauthorized(
            "alg none, signed",
            bearer(&unsigned_with_junk),
            Some("invalid_token"),
        ),
        unauthorized(
            "HS256 with the public key",
            bearer(&hmac_with_public_key),
            Some("invalid_token"),
        ),
        unauthorized("unknown kid", bearer(&unknown_kid), Some("invalid_token")),
        unauthorized("tampered payload", bearer(&tampered), Some("invalid_token")),
        unauthorized("truncated", bearer(&truncated), Some("invalid_token")),
        unauthorized("not base64", bearer(&not_base64), Some("invalid_token")),
        unauthorized("64 KiB token", bearer(&huge), Some("invalid_token")),
        unauthorized(
            "two headers",
            [bearer(&valid), bearer(&valid)].concat(),
            Some("invalid_request"),
        ),
        Case {
            name: "no required scope",
            path: "/secure/admin",
            authorization: bearer(&valid),
            status: StatusCode::FORBIDDEN,
            error: Some("insufficient_scope"),
        },
    ];
    for case in &cases {
        let mut request = host.client().get(host.url(case.path));
        for value in &case.authorization {
            request = request.header("authorization", value);
        }
        let response = request.send().await.unwrap();
        let name = case.name;
        assert_eq!(response.status(), case.status, "{name}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{name}"
        );
        let challenge = response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            challenge.starts_with("Bearer realm=\"modkit\""),
            "{name}: {challenge}"
        );
        match case.error {
            Some(error) => assert!(
                challenge.contains(&format!("error=\"{error}\"")),
                "{name}: {challenge}"
            ),
            None => assert!(!challenge.contains("error="), "{name}: {challenge}"),
        }
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["status"], case.status.as_u16(), "{name}");
        assert!(
            !problem["detail"].as_str().unwrap_or("").is_empty(),
            "{name}"
        );
    }
    assert_eq!(api.calls(), 0, "a refused request reached a handler");
    let forbidden = host
        .client()
        .get(host.url("/secure/admin"))
        .bearer_auth(&valid)
        .send()
        .await
        .unwrap();
    assert!(
        forbidden.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("scope=\"admin\"")
    );

    // The same token, valid, is let through: the refusals above were the token's fault.
    let ok = host
        .client()
        .get(host.url("/secure/whoami"))
        .bearer_auth(&valid)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(api.calls(), 1);
    host.shut_down().await.assert_ok();
    let _ = std::fs::remove_file(file);
}
