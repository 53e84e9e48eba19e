//! Stopping the gateway stops accepting connections, and a request already in flight
//! still gets its answer, within the module's stop deadline.

use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit_tests::{ProbeApi, ServedHost, within};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_in_flight_request_finishes_while_new_connections_are_refused() {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(builder, serde_json::json!({})).await;
    let addr = host.addr();

    // The handler answers when released (or after a minute, which fails the test).
    let key = uuid::Uuid::new_v4().to_string();
    let slow = tokio::spawn({
        let request = host
            .client()
            .get(host.url(&format!("/slow?ms=60000&key={key}")))
            .send();
        async move {
            let response = request.await.unwrap();
            (response.status(), response.text().await.unwrap())
        }
    });
    within(
        "the request to reach the handler",
        ProbeApi::slow_request_arrived(&key),
    )
    .await;

    let running = host.into_host();
    running.cancel_token().cancel();
    // Once the listener is closed, new connections are refused while the slow request
    // is still in flight.
    within("the listener to close", async {
        while tokio::net::TcpStream::connect(addr).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(!slow.is_finished(), "the slow request was cut short");

    ProbeApi::release_slow_request(&key);
    let (status, body) = within("the slow request", slow).await.unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "done");
    running.finish().await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_outliving_the_stop_deadline_is_cut_and_stop_is_bounded() {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(
        builder,
        serde_json::json!({
            "api-gateway": { "runtime": { "stop_timeout": "300ms" } },
        }),
    )
    .await;
    // Never released: it outlives the gateway's stop deadline.
    let key = uuid::Uuid::new_v4().to_string();
    let slow = tokio::spawn(
        host.client()
            .get(host.url(&format!("/slow?ms=60000&key={key}")))
            .send(),
    );
    within(
        "the request to reach the handler",
        ProbeApi::slow_request_arrived(&key),
    )
    .await;

    // Bounded: `shut_down` fails the test past the fixtures' patience, far below the
    // request's minute.
    let finished = host.shut_down().await;
    finished.assert_ok();
    let stop = finished
        .report
        .module("api-gateway")
        .and_then(|m| m.hook(modkit::Phase::Stop))
        .expect("the gateway stopped");
    assert!(
        !stop.outcome.is_ok(),
        "an overdue drain is reported: {stop:?}"
    );
    let outcome = within("the cut request", slow).await.unwrap();
    assert!(
        outcome.is_err(),
        "the connection should have been closed: {outcome:?}"
    );
}
