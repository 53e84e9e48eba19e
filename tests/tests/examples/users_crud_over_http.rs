//! The demo's `users` module over real HTTP behind the gateway, kept in memory: create (201
//! with the user and a `Location`), get, list a page at a time with `limit` and `cursor`,
//! update, delete (204); invalid input answers 422 naming the field; creations and
//! deletions reach the audit log; the operations are in the OpenAPI document.

use std::sync::Arc;

use modkit::registry::RegistryBuilder;
use modkit_examples::audit::{Audit, AuditApi};
use modkit_examples::users::{User, UserPage, Users};
use modkit_tests::ServedHost;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn served() -> ServedHost {
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("audit", &[], Arc::new(Audit));
    let users = Arc::new(Users::default());
    builder.register_core_with_meta("users", &["audit"], users.clone());
    builder.register_rest_with_meta("users", users);
    ServedHost::start(builder, json!({})).await
}

async fn create(host: &ServedHost, name: &str, email: &str) -> reqwest::Response {
    host.client()
        .post(host.url("/v1/users"))
        .json(&json!({ "name": name, "email": email }))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_can_be_created_read_listed_updated_and_deleted() {
    let host = served().await;

    let response = create(&host, "Ann", "ann@example.com").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let ann: User = response.json().await.unwrap();
    assert_eq!(location, format!("/v1/users/{}", ann.id));
    assert_eq!(
        (ann.name.as_str(), ann.email.as_str()),
        ("Ann", "ann@example.com")
    );

    let fetched: User = host.get(&location).await.json().await.unwrap();
    assert_eq!(fetched, ann);

    for (name, email) in [("Bob", "bob@example.com"), ("Cy", "cy@example.com")] {
        assert_eq!(
            create(&host, name, email).await.status(),
            StatusCode::CREATED
        );
    }
    let first: UserPage = host.get("/v1/users?limit=2").await.json().await.unwrap();
    let names: Vec<_> = first.items.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["Ann", "Bob"]);
    assert_eq!(first.total, None, "counted without `count=true`");
    let cursor = first.next_cursor.expect("a page follows");
    let second: UserPage = host
        .get(&format!("/v1/users?limit=2&cursor={cursor}&count=true"))
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<_> = second.items.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["Cy"]);
    assert_eq!((second.next_cursor, second.total), (None, Some(3)));

    let updated = host
        .client()
        .put(host.url(&location))
        .json(&json!({ "name": "Ann B", "email": "annb@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status(), StatusCode::OK);
    let updated: User = updated.json().await.unwrap();
    assert_eq!((updated.id, updated.name.as_str()), (ann.id, "Ann B"));

    let deleted = host
        .client()
        .delete(host.url(&location))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = host.get(&location).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(gone.headers()["content-type"], "application/problem+json");
    let again = host
        .client()
        .delete(host.url(&location))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_users_are_refused_naming_the_field() {
    let host = served().await;
    for (name, email, field) in [
        ("", "ann@example.com", "name"),
        ("   ", "ann@example.com", "name"),
        ("Ann", "not-an-email", "email"),
        ("Ann", "ann@localhost", "email"),
    ] {
        let response = create(&host, name, email).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name:?} {email:?}"
        );
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains(&format!("`{field}`"))
        );
    }
    let missing = host
        .client()
        .post(host.url("/v1/users"))
        .json(&json!({ "name": "Ann" }))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = missing.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("email"),
        "{problem}"
    );

    let bad_id = host.get("/v1/users/not-a-uuid").await;
    assert_eq!(bad_id.status(), StatusCode::BAD_REQUEST);
    let problem: Value = bad_id.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("id"),
        "{problem}"
    );

    let bad_limit = host.get("/v1/users?limit=1000").await;
    assert_eq!(bad_limit.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = bad_limit.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "limit");

    let bad_cursor = host.get("/v1/users?cursor=12").await;
    assert_eq!(bad_cursor.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = bad_cursor.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "cursor");
    // Pages are no longer cut by `offset`: say so rather than serve the first page.
    let offset = host.get("/v1/users?offset=20").await;
    assert_eq!(offset.status(), StatusCode::BAD_REQUEST);
    let problem: Value = offset.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("offset"),
        "{problem}"
    );
    host.shut_down().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creations_and_deletions_reach_the_audit_log_and_the_operations_are_documented() {
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("audit", &[], Arc::new(Audit));
    let users = Arc::new(Users::default());
    builder.register_core_with_meta("users", &["audit"], users.clone());
    builder.register_rest_with_meta("users", users);
    let hub = Arc::new(modkit::ClientHub::new());
    let host = ServedHost::start_with_hub(builder, json!({}), Arc::clone(&hub)).await;

    let ann: User = create(&host, "Ann", "ann@example.com")
        .await
        .json()
        .await
        .unwrap();
    host.client()
        .delete(host.url(&format!("/v1/users/{}", ann.id)))
        .send()
        .await
        .unwrap();
    let audit = hub.get::<dyn AuditApi>().unwrap();
    let recent = audit.recent();
    assert!(
        recent.contains(&format!("users: created user {}", ann.id)),
        "{recent:?}"
    );
    assert!(
        recent.contains(&format!("users: deleted user {}", ann.id)),
        "{recent:?}"
    );

    let document: Value = host.get("/openapi.json").await.json().await.unwrap();
    for (path, method, id) in [
        ("/v1/users", "get", "users.list"),
        ("/v1/users", "post", "users.create"),
        ("/v1/users/{id}", "get", "users.get"),
        ("/v1/users/{id}", "put", "users.update"),
        ("/v1/users/{id}", "delete", "users.delete"),
    ] {
        assert_eq!(
            document["paths"][path][method]["operationId"], id,
            "{path} {method}"
        );
    }
    assert!(document["components"]["schemas"]["User"].is_object());
    host.shut_down().await.assert_ok();
}
