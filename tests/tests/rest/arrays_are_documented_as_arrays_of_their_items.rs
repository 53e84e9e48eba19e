//! A response of `Vec<T>` (or another standard container) is documented as an inline array
//! whose items refer to `T`'s own schema, so that `Vec<Cat>` and `Vec<Dog>` stay apart
//! instead of sharing one component named `Vec`.

use std::collections::HashMap;

use modkit::registry::RegistryBuilder;
use modkit_tests::{JsonRoute, ServedHost};
use serde_json::{Value, json};

#[derive(utoipa::ToSchema)]
#[expect(dead_code, reason = "only its schema is used")]
struct Cat {
    lives: u8,
}

#[derive(utoipa::ToSchema)]
#[expect(dead_code, reason = "only its schema is used")]
struct Dog {
    good: bool,
}

fn response_schema(document: &Value, path: &str) -> Value {
    document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        .clone()
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_array_refers_to_its_own_item_schema() {
    let mut builder = RegistryBuilder::default();
    JsonRoute::<Vec<Cat>>::register("cats", "/cats", "cats.list", &mut builder);
    JsonRoute::<Vec<Dog>>::register("dogs", "/dogs", "dogs.list", &mut builder);
    JsonRoute::<Option<Cat>>::register("oldest", "/cats/oldest", "cats.oldest", &mut builder);
    JsonRoute::<HashMap<String, Dog>>::register("kennel", "/kennel", "kennel.get", &mut builder);
    let host = ServedHost::start(builder, json!({})).await;
    let document: Value = host.get("/openapi.json").await.json().await.unwrap();

    let cats = response_schema(&document, "/cats");
    assert_eq!(cats["type"], "array", "{cats}");
    assert_eq!(cats["items"], reference("Cat"), "{cats}");
    let dogs = response_schema(&document, "/dogs");
    assert_eq!(dogs["type"], "array", "{dogs}");
    assert_eq!(dogs["items"], reference("Dog"), "{dogs}");
    let oldest = response_schema(&document, "/cats/oldest");
    assert_eq!(oldest["oneOf"][1], reference("Cat"), "{oldest}");
    let kennel = response_schema(&document, "/kennel");
    assert_eq!(kennel["additionalProperties"], reference("Dog"), "{kennel}");

    let components = &document["components"]["schemas"];
    assert!(
        components["Cat"]["properties"]["lives"].is_object(),
        "{components}"
    );
    assert!(
        components["Dog"]["properties"]["good"].is_object(),
        "{components}"
    );
    for container in ["Vec", "Option", "HashMap"] {
        assert!(components.get(container).is_none(), "{components}");
    }
    host.shut_down().await.assert_ok();
}
