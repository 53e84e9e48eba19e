//! A real Prometheus (Debian's `prometheus` package; `.ci/run` installs it), on a free
//! loopback port with a temporary data dir, scrapes the demo's `users` behind the gateway
//! every second; after two scrapes, its HTTP API has the request-duration series of the
//! route template `/v1/users` with exactly as many requests as the test made.

use std::sync::Arc;

use modkit::ClientHub;
use modkit::registry::RegistryBuilder;
use modkit::telemetry::metrics::{Metrics, MetricsConfig};
use modkit_examples::audit::Audit;
use modkit_examples::users::Users;
use modkit_tests::{PrometheusServer, ServedHost};
use serde_json::json;

const TEST: &str = "prometheus_scrapes_the_demo_request_durations";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_scrapes_the_demo_request_durations() {
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("audit", &[], Arc::new(Audit));
    let users = Arc::new(Users::default());
    builder.register_core_with_meta("users", &["audit"], users.clone());
    builder.register_rest_with_meta("users", users);
    let hub = Arc::new(ClientHub::new());
    hub.register::<Metrics>(Arc::new(Metrics::new(MetricsConfig::default())));
    let host = ServedHost::start_with_hub(builder, json!({}), hub).await;

    let (posts, gets) = (3, 2);
    for n in 0..posts {
        let created = host
            .client()
            .post(host.url("/v1/users"))
            .json(&json!({ "name": format!("user {n}"), "email": format!("u{n}@example.com") }))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
    }
    for _ in 0..gets {
        assert_eq!(host.get("/v1/users?limit=10").await.status(), 200);
    }

    let Some(prometheus) = PrometheusServer::start(TEST, "demo", host.addr()).await else {
        return;
    };
    prometheus.wait_for_scrapes("demo", 2).await;
    let series = prometheus
        .query(r#"http_server_request_duration_seconds_count{job="demo",http_route="/v1/users"}"#)
        .await;
    let mut counts: Vec<(String, String, f64)> = series
        .iter()
        .map(|sample| {
            let labels = &sample["metric"];
            (
                labels["http_request_method"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                labels["http_response_status_code"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                sample["value"][1]
                    .as_str()
                    .unwrap_or_default()
                    .parse()
                    .unwrap_or(-1.0),
            )
        })
        .collect();
    counts.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        counts,
        [
            ("GET".to_owned(), "200".to_owned(), f64::from(gets)),
            ("POST".to_owned(), "201".to_owned(), f64::from(posts)),
        ],
        "the series of `/v1/users` in Prometheus: {series:?}"
    );
    drop(prometheus);
    host.shut_down().await.assert_ok();
}
