//! `/openapi.json` is an OpenAPI 3.1 document that a real validator
//! (`openapi-spec-validator`, installed by `.ci/run`) accepts, describing every operation
//! with its parameters, request body, responses and schemas.

use std::process::Stdio;

use modkit::registry::RegistryBuilder;
use modkit_tests::{ProbeApi, ServedHost};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_document_passes_openapi_spec_validator() {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(builder, serde_json::json!({})).await;
    let response = host.get("/openapi.json").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    host.shut_down().await.assert_ok();

    let document: Value = serde_json::from_str(&text).unwrap();
    assert!(
        document["openapi"].as_str().unwrap().starts_with("3.1."),
        "{document}"
    );
    let get_item = &document["paths"]["/items/{id}"]["get"];
    assert_eq!(get_item["operationId"], "probe.get_item");
    assert_eq!(get_item["tags"][0], "probe");
    assert_eq!(get_item["parameters"][0]["name"], "id");
    assert_eq!(get_item["parameters"][0]["in"], "path");
    assert_eq!(
        get_item["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Item"
    );
    assert_eq!(
        get_item["responses"]["400"]["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/Problem"
    );
    let create = &document["paths"]["/items"]["post"];
    assert_eq!(
        create["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewItem"
    );
    assert_eq!(
        document["paths"]["/items"]["get"]["parameters"][0]["name"],
        "limit"
    );
    for schema in ["Item", "NewItem", "Problem", "FieldError"] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "`{schema}` is missing from the components"
        );
    }

    let Some(validator) = modkit_tests::outside::tool(
        "the_served_document_passes_openapi_spec_validator",
        "openapi-spec-validator",
        "pip install openapi-spec-validator",
    ) else {
        return;
    };
    let file = std::env::temp_dir().join(format!("modkit-openapi-{}.json", std::process::id()));
    tokio::fs::write(&file, &text).await.unwrap();
    let run = tokio::process::Command::new(validator)
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    // A Python tool's start-up alone can take seconds on a loaded CI machine: bound it
    // generously rather than by the in-process PATIENCE.
    let output = tokio::time::timeout(std::time::Duration::from_secs(120), run)
        .await
        .expect("openapi-spec-validator did not finish within 120 s")
        .unwrap_or_else(|error| {
        panic!("cannot run `openapi-spec-validator` ({error}); `.ci/run` installs it (pip install openapi-spec-validator)")
    });
    let _ = tokio::fs::remove_file(&file).await;
    assert!(
        output.status.success(),
        "the validator refused the document:\n{}\n{}\n{text}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
