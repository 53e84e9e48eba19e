//! The demo's `users` module on each engine its `database` may name: SQLite, and
//! PostgreSQL when `MODKIT_TEST_POSTGRES_URL` is set (a fresh schema per test). The db phase
//! applies its migration, CRUD over HTTP answers alike, pages follow each other by cursor
//! without skipping a user when one before the cursor is deleted, and the users are still
//! there after a restart on the same database.

use std::sync::Arc;

use modkit::registry::RegistryBuilder;
use modkit_examples::audit::Audit;
use modkit_examples::users::{User, UserPage, Users};
use modkit_tests::{ServedHost, TestDb};
use reqwest::StatusCode;
use serde_json::json;

async fn serve(db: &TestDb) -> ServedHost {
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("audit", &[], Arc::new(Audit));
    let users = Arc::new(Users::default());
    builder.register_core_with_meta("users", &["audit"], users.clone());
    builder.register_rest_with_meta("users", users.clone());
    builder.register_db_with_meta("users", users);
    ServedHost::start_with_db(builder, json!({}), db, &["users"]).await
}

async fn create(host: &ServedHost, name: &str) -> User {
    let response = host
        .client()
        .post(host.url("/v1/users"))
        .json(&json!({ "name": name, "email": format!("{}@example.com", name.to_lowercase()) }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED, "create {name}");
    response.json().await.unwrap()
}

async fn page(host: &ServedHost, query: &str) -> UserPage {
    let response = host.get(&format!("/v1/users?{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "GET /v1/users?{query}");
    response.json().await.unwrap()
}

fn names(page: &UserPage) -> Vec<&str> {
    page.items.iter().map(|user| user.name.as_str()).collect()
}

/// Every user, oldest first, page by page.
async fn every_user(host: &ServedHost, limit: usize) -> Vec<User> {
    let mut users = Vec::new();
    let mut query = format!("limit={limit}");
    // Bounded: more pages than users means the cursor does not advance.
    for _ in 0..100 {
        let page = page(host, &query).await;
        assert!(page.items.len() <= limit);
        users.extend(page.items);
        match page.next_cursor {
            Some(cursor) => query = format!("limit={limit}&cursor={cursor}"),
            None => return users,
        }
    }
    panic!("still paging after 100 pages");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_migrated_stored_and_kept_across_a_restart() {
    for db in TestDb::each("users_are_migrated_stored_and_kept_across_a_restart") {
        let label = db.label();
        let host = serve(&db).await;
        assert_eq!(db.history("users").await, [1], "{label}");
        assert!(db.has_table("users", "users").await, "{label}");

        let mut created = Vec::new();
        for n in 0..7 {
            created.push(create(&host, &format!("User{n}")).await);
        }
        let fetched: User = host
            .get(&format!("/v1/users/{}", created[3].id))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(fetched, created[3], "{label}");

        let replaced = host
            .client()
            .put(host.url(&format!("/v1/users/{}", created[1].id)))
            .json(&json!({ "name": "Renamed", "email": "renamed@example.com" }))
            .send()
            .await
            .unwrap();
        assert_eq!(replaced.status(), StatusCode::OK, "{label}");
        created[1].name = "Renamed".into();
        created[1].email = "renamed@example.com".into();

        let deleted = host
            .client()
            .delete(host.url(&format!("/v1/users/{}", created[5].id)))
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT, "{label}");
        let gone = host.get(&format!("/v1/users/{}", created[5].id)).await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND, "{label}");
        created.remove(5);

        // Two pages of 3, the second the last; an update keeps the user's place.
        assert_eq!(every_user(&host, 3).await, created, "{label}");
        let counted = page(&host, "count=true").await;
        assert_eq!(counted.total, Some(6), "{label}");
        host.shut_down().await.assert_ok();

        // Same database: nothing to migrate, the same users.
        let host = serve(&db).await;
        assert_eq!(db.history("users").await, [1], "{label}");
        assert_eq!(every_user(&host, 100).await, created, "{label}");
        host.shut_down().await.assert_ok();
        db.clean_up().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_page_starts_after_the_last_user_seen_whatever_changed_before_it() {
    for db in
        TestDb::each("the_next_page_starts_after_the_last_user_seen_whatever_changed_before_it")
    {
        let label = db.label();
        let host = serve(&db).await;
        let mut users = Vec::new();
        for name in ["Ann", "Bob", "Cy", "Dee", "Eve"] {
            users.push(create(&host, name).await);
        }

        let first = page(&host, "limit=2").await;
        assert_eq!(names(&first), ["Ann", "Bob"], "{label}");
        assert_eq!(first.total, None, "{label}: counted without `count=true`");
        let cursor = first.next_cursor.clone().expect("a page follows");

        // Ann goes: an offset of 2 would now skip Cy; the cursor does not.
        host.client()
            .delete(host.url(&format!("/v1/users/{}", users[0].id)))
            .send()
            .await
            .unwrap();
        let second = page(&host, &format!("limit=2&cursor={cursor}")).await;
        assert_eq!(names(&second), ["Cy", "Dee"], "{label}");

        // A user created meanwhile comes last; the last page says it is the last.
        create(&host, "Fay").await;
        let cursor = second.next_cursor.expect("a page follows");
        let third = page(&host, &format!("limit=2&cursor={cursor}&count=true")).await;
        assert_eq!(names(&third), ["Eve", "Fay"], "{label}");
        assert_eq!((third.next_cursor, third.total), (None, Some(5)), "{label}");

        // A well-formed cursor past every user is an empty last page.
        let past = page(&host, "cursor=7fffffffffffffff").await;
        assert!(
            past.items.is_empty() && past.next_cursor.is_none(),
            "{label}"
        );
        host.shut_down().await.assert_ok();
        db.clean_up().await;
    }
}
