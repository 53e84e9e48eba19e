//! Someone wrote garbage under the prefix: the view skips it with a warning naming the key,
//! whether it was there at the first listing or arrived through the watch, and keeps
//! serving the instances that parse.

use std::time::{Duration, Instant};

use modkit::CancellationToken;
use modkit::directory::etcd::{EtcdDirectory, EtcdView};
use modkit::directory::{DirectoryConfig, DirectoryView};
use modkit_tests::{LogCapture, PATIENCE, etcd_client, etcd_url, unique_prefix};
use serde_json::json;

const SERVICE: &str = "modkit.tests.garbage.v1.Service";

fn record(endpoint: &str) -> String {
    json!({
        "services": [SERVICE], "endpoint": endpoint, "host_id": "test",
        "version": "0.1.0", "started_at_ms": 1
    })
    .to_string()
}

async fn wait_for(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn endpoints(view: &EtcdView) -> Vec<String> {
    view.resolve(SERVICE)
        .map(|endpoints| endpoints.iter().map(|e| e.endpoint.clone()).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbage_record_is_skipped_with_a_warning_naming_its_key() {
    let Some(url) = etcd_url("a_garbage_record_is_skipped_with_a_warning_naming_its_key") else {
        return;
    };
    let log = LogCapture::install();
    let prefix = unique_prefix();
    let mut client = etcd_client(&url).await;
    let listed_garbage = format!("{prefix}/instances/garbage-module/one");
    client
        .put(listed_garbage.as_str(), "{not json", None)
        .await
        .unwrap();
    client
        .put(
            format!("{prefix}/instances/good/one"),
            record("http://127.0.0.1:1001"),
            None,
        )
        .await
        .unwrap();

    let DirectoryConfig::Etcd(config) = DirectoryConfig::from_value(&json!({
        "backend": "etcd", "endpoints": [url], "prefix": prefix,
    }))
    .unwrap() else {
        unreachable!()
    };
    let directory = EtcdDirectory::connect(&config).await.unwrap();
    let stop = CancellationToken::new();
    let view = directory.follow(stop.clone()).await.unwrap();
    assert_eq!(endpoints(&view), ["http://127.0.0.1:1001"]);
    assert_eq!(view.instance_count(), 1);

    let warned = |key: &str| {
        !log.lines(|line| {
            line.message.contains(&format!("`{key}`")) && line.message.contains("does not parse")
        })
        .is_empty()
    };
    assert!(warned(&listed_garbage), "the listing's garbage is named");

    // Garbage arriving through the watch, and a good record after it.
    let watched_garbage = format!("{prefix}/instances/garbage-module/two");
    client
        .put(watched_garbage.as_str(), r#"{"services": []}"#, None)
        .await
        .unwrap();
    client
        .put(
            format!("{prefix}/instances/good/two"),
            record("http://127.0.0.1:1002"),
            None,
        )
        .await
        .unwrap();
    wait_for("the watched record arrives", || endpoints(&view).len() == 2).await;
    assert!(warned(&watched_garbage), "the watch's garbage is named");
    assert_eq!(view.instance_count(), 2);
    assert!(!view.degraded());
    stop.cancel();
}
