//! The rest phase hands one router from the REST host's `rest_prepare` through every REST
//! module's `register_rest` to the host's `rest_finalize`: every route answers.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use modkit::registry::RegistryBuilder;
use modkit_tests::{EventLog, FakeRestHost, RouteModule, TestHost, init, mark};
use tower::ServiceExt;

async fn get(router: &axum::Router, path: &str) -> (StatusCode, String) {
    let request = Request::get(path).body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = to_bytes(response.into_body(), 1024).await.unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rest_module_adds_its_routes_to_the_final_router() {
    let log = EventLog::new();
    let mut builder = RegistryBuilder::default();
    let host = FakeRestHost::register("gateway", &log, &mut builder);
    RouteModule::register("users", "/users", "all the users", &log, &mut builder);
    RouteModule::register("audit", "/audit", "the audit trail", &log, &mut builder);

    let running = TestHost::new(builder).spawn();
    assert!(running.wait_ready().await, "start-up failed");

    log.assert_subsequence(&[
        init("users"),
        mark("gateway", "rest_prepare"),
        mark("audit", "register_rest"),
        mark("users", "register_rest"),
        mark("gateway", "rest_finalize"),
    ]);
    let router = host
        .final_router()
        .expect("rest_finalize received the router");
    assert_eq!(
        get(&router, "/prepared").await,
        (StatusCode::OK, "prepared".to_owned())
    );
    assert_eq!(
        get(&router, "/users").await,
        (StatusCode::OK, "all the users".to_owned())
    );
    assert_eq!(
        get(&router, "/audit").await,
        (StatusCode::OK, "the audit trail".to_owned())
    );
    assert_eq!(get(&router, "/nowhere").await.0, StatusCode::NOT_FOUND);

    running.shut_down().await.assert_ok();
}
