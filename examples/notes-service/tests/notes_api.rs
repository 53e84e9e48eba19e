//! The notes API over real HTTP: the host runs `api-gateway`, `notes` and `stats` on an
//! ephemeral loopback port, with `notes`' database in a temporary directory.

use modkit::anyhow;
use modkit::axum::http::StatusCode;
use modkit::serde_json::{Value, json};
use modkit::testing::TestHost;
use notes_service::notes::{Note, NotePage};
use notes_service::stats::{Counts, StatsApi};

#[tokio::test]
async fn notes_are_created_read_updated_listed_and_deleted() -> anyhow::Result<()> {
    let host = TestHost::with_modules(["api-gateway", "notes", "stats"])
        .start()
        .await?;
    let http = host.http()?;

    let created = http
        .post_json(
            "/v1/notes",
            &json!({ "title": " milk ", "body": "2 litres" }),
        )
        .await?;
    assert_eq!(created.status(), StatusCode::CREATED, "{created:?}");
    let note: Note = created.json()?;
    assert_eq!(note.title, "milk");
    let path = format!("/v1/notes/{}", note.id);
    assert_eq!(created.header("location"), Some(path.as_str()));
    assert_eq!(http.get(&path).await?.json::<Note>()?, note);

    let replaced = http
        .put_json(&path, &json!({ "title": "oat milk", "body": "1 litre" }))
        .await?;
    assert_eq!(replaced.status(), StatusCode::OK, "{replaced:?}");
    assert_eq!(http.get(&path).await?.json::<Note>()?.title, "oat milk");

    http.post_json("/v1/notes", &json!({ "title": "bread", "body": "" }))
        .await?;
    let first: NotePage = http.get("/v1/notes?limit=1").await?.json()?;
    assert_eq!(first.items, [http.get(&path).await?.json::<Note>()?]);
    let after = first.next_after.expect("a full page has a next one");
    let second: NotePage = http
        .get(&format!("/v1/notes?limit=1&after={after}"))
        .await?
        .json()?;
    assert_eq!(second.items[0].title, "bread");

    let deleted = http.delete(&path).await?;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(deleted.bytes().is_empty());
    assert_eq!(http.get(&path).await?.status(), StatusCode::NOT_FOUND);

    // `notes` told `stats` through the ClientHub.
    let counts = host.client_hub().get::<dyn StatsApi>()?.counts();
    assert_eq!(
        counts,
        Counts {
            created: 2,
            updated: 1,
            deleted: 1
        }
    );
    host.stop().await?;
    Ok(())
}

#[tokio::test]
async fn mistakes_are_answered_with_problems() -> anyhow::Result<()> {
    let host = TestHost::with_modules(["api-gateway", "notes", "stats"])
        .start()
        .await?;
    let http = host.http()?;
    let note = json!({ "title": "milk", "body": "" });
    http.post_json("/v1/notes", &note).await?;

    let cases = [
        (
            http.post_json("/v1/notes", &note).await?,
            StatusCode::CONFLICT,
        ),
        (http.get("/v1/notes/999").await?, StatusCode::NOT_FOUND),
        (
            http.put_json("/v1/notes/999", &note).await?,
            StatusCode::NOT_FOUND,
        ),
        (http.delete("/v1/notes/999").await?, StatusCode::NOT_FOUND),
        (
            http.get("/v1/notes?limit=500").await?,
            StatusCode::BAD_REQUEST,
        ),
        (
            http.get("/v1/notes?limit=ten").await?,
            StatusCode::BAD_REQUEST,
        ),
        (http.get("/v1/notes/first").await?, StatusCode::BAD_REQUEST),
        (
            http.post_json("/v1/notes", &json!({ "title": " ", "body": "" }))
                .await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (answer, status) in cases {
        assert_eq!(answer.status(), status, "{answer:?}");
        assert_eq!(
            answer.header("content-type"),
            Some("application/problem+json")
        );
        let problem: Value = answer.json()?;
        assert_eq!(problem["status"], status.as_u16(), "{problem}");
    }
    host.stop().await?;
    Ok(())
}

#[tokio::test]
async fn the_openapi_document_describes_every_operation() -> anyhow::Result<()> {
    let host = TestHost::with_modules(["api-gateway", "notes", "stats"])
        .start()
        .await?;
    let document: Value = host.http()?.get("/openapi.json").await?.json()?;
    let operations: Vec<&str> = document["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|methods| methods.values())
        .filter_map(|operation| operation["operationId"].as_str())
        .collect();
    for id in [
        "notes.list",
        "notes.create",
        "notes.get",
        "notes.update",
        "notes.delete",
    ] {
        assert!(
            operations.contains(&id),
            "{id} is missing from {operations:?}"
        );
    }
    host.stop().await?;
    Ok(())
}
