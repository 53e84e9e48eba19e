//! A private etcd member is stopped under a live view and a live registration: the view
//! keeps resolving what it knew and says it is degraded; nothing crashes. Once etcd is back
//! the view is current again, the registration is renewed, and an instance registered after
//! the restart reaches the view through the resumed watch.

use std::time::{Duration, Instant};

use modkit::CancellationToken;
use modkit::directory::etcd::{EtcdDirectory, EtcdView};
use modkit::directory::{DirectoryConfig, DirectoryView, EtcdConfig, InstanceInfo};
use modkit_tests::{EtcdMember, PATIENCE};
use serde_json::json;

const SERVICE: &str = "modkit.tests.outage.v1.Service";

fn config(url: &str) -> EtcdConfig {
    let DirectoryConfig::Etcd(config) = DirectoryConfig::from_value(&json!({
        "backend": "etcd", "endpoints": [url], "ttl": "30s", "connect_timeout": "2s",
    }))
    .unwrap() else {
        unreachable!()
    };
    config
}

fn instance(id: &str, port: u16) -> InstanceInfo {
    InstanceInfo {
        module: "outage".to_owned(),
        instance_id: id.to_owned(),
        services: vec![SERVICE.to_owned()],
        endpoint: format!("http://127.0.0.1:{port}"),
    }
}

fn resolved(view: &EtcdView) -> Vec<String> {
    view.resolve(SERVICE)
        .map(|endpoints| endpoints.iter().map(|e| e.instance_id.clone()).collect())
        .unwrap_or_default()
}

async fn wait_for(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_view_keeps_serving_while_etcd_is_stopped() {
    let Some(mut member) = EtcdMember::start("the_view_keeps_serving_while_etcd_is_stopped").await
    else {
        return;
    };
    let config = config(&member.url());
    let registering = EtcdDirectory::connect(&config).await.unwrap();
    let resolving = EtcdDirectory::connect(&config).await.unwrap();
    let stop = CancellationToken::new();
    let view = resolving.follow(stop.clone()).await.unwrap();
    let before = registering
        .register(&instance("before", 3001), "host")
        .await
        .unwrap();
    wait_for("the instance reaches the view", || {
        resolved(&view) == ["before"]
    })
    .await;

    member.stop();
    wait_for("the view says it is degraded", || view.degraded()).await;
    assert_eq!(
        resolved(&view),
        ["before"],
        "the last known view keeps serving"
    );
    wait_for("the registration notices", || !before.is_current()).await;

    member.resume().await;
    wait_for("the view is current again", || !view.degraded()).await;
    wait_for("the registration is renewed", || before.is_current()).await;
    let after = registering
        .register(&instance("after", 3002), "host")
        .await
        .unwrap();
    wait_for("the new instance reaches the view", || {
        resolved(&view) == ["after", "before"]
    })
    .await;

    after.close().await;
    wait_for("a closed instance leaves the view", || {
        resolved(&view) == ["before"]
    })
    .await;
    before.close().await;
    stop.cancel();
}
