//! Two operations documenting two different schemas under one component name (utoipa names
//! a generic type after the type alone: `Page<Cat>` and `Page<Dog>` are both `Page`) fail
//! start-up in the rest phase, naming the schema and both operations; the same schema used
//! by several operations is shared.

use modkit::Phase;
use modkit::registry::RegistryBuilder;
use modkit_tests::{
    JsonRoute, ServedHost, TestHost, error_chain, register_gateway, with_loopback_gateway,
};
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

#[derive(utoipa::ToSchema)]
#[expect(dead_code, reason = "only its schema is used")]
struct Page<T> {
    items: Vec<T>,
    next: Option<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_different_pages_fail_start_up_naming_both_operations() {
    let mut builder = RegistryBuilder::default();
    register_gateway(&mut builder);
    JsonRoute::<Page<Cat>>::register("cats", "/cats", "cats.list", &mut builder);
    JsonRoute::<Page<Dog>>::register("dogs", "/dogs", "dogs.list", &mut builder);
    let finished = TestHost::new(builder)
        .config(with_loopback_gateway(json!({})))
        .run_expecting_failure()
        .await;
    let gateway = finished.report.module("api-gateway").unwrap();
    assert!(
        gateway
            .hooks
            .iter()
            .any(|hook| hook.phase == Phase::Rest && !hook.outcome.is_ok()),
        "the gateway's rest_finalize fails: {gateway:?}"
    );
    let error = error_chain(finished.error());
    for named in [
        "schema `Page`",
        "`cats.list` (module `cats`)",
        "`dogs.list` (module `dogs`)",
    ] {
        assert!(error.contains(named), "{named} is named: {error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_schema_used_twice_is_shared() {
    let mut builder = RegistryBuilder::default();
    JsonRoute::<Page<Cat>>::register("cats", "/cats", "cats.list", &mut builder);
    JsonRoute::<Page<Cat>>::register("more-cats", "/more-cats", "cats.more", &mut builder);
    let host = ServedHost::start(builder, json!({})).await;
    let document: Value = host.get("/openapi.json").await.json().await.unwrap();
    assert!(
        document["components"]["schemas"]["Page"].is_object(),
        "{document}"
    );
    host.shut_down().await.assert_ok();
}
