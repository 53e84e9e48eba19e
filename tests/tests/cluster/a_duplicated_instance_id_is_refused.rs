//! Two processes claiming one instance id: the second registration is refused with an error
//! naming the module, the id and who holds it; once the first is closed (its key deleted),
//! the id is free again.

use modkit::directory::etcd::{EtcdDirectory, EtcdError};
use modkit::directory::{DirectoryConfig, EtcdConfig, InstanceInfo};
use modkit_tests::{etcd_keys, etcd_url, unique_prefix};
use serde_json::json;

fn config(url: &str, prefix: &str) -> EtcdConfig {
    let DirectoryConfig::Etcd(config) = DirectoryConfig::from_value(&json!({
        "backend": "etcd", "endpoints": [url], "prefix": prefix, "ttl": "5s",
    }))
    .unwrap() else {
        unreachable!()
    };
    config
}

fn instance(endpoint: &str) -> InstanceInfo {
    InstanceInfo {
        module: "calculator".to_owned(),
        instance_id: "same-id".to_owned(),
        services: vec!["modkit.tests.duplicate.v1.Service".to_owned()],
        endpoint: endpoint.to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicated_instance_id_is_refused() {
    let Some(url) = etcd_url("a_duplicated_instance_id_is_refused") else {
        return;
    };
    let prefix = unique_prefix();
    // Two connections, as two processes would have.
    let first = EtcdDirectory::connect(&config(&url, &prefix))
        .await
        .unwrap();
    let second = EtcdDirectory::connect(&config(&url, &prefix))
        .await
        .unwrap();

    let held = first
        .register(&instance("http://127.0.0.1:2001"), "host-a")
        .await
        .unwrap();
    let refused = second
        .register(&instance("http://127.0.0.1:2002"), "host-b")
        .await
        .unwrap_err();
    assert!(
        matches!(refused, EtcdError::DuplicateInstance { .. }),
        "{refused}"
    );
    let message = refused.to_string();
    assert!(message.contains("`same-id`"), "{message}");
    assert!(message.contains("`calculator`"), "{message}");
    assert!(
        message.contains("`http://127.0.0.1:2001`"),
        "names the holder: {message}"
    );

    let keys = etcd_keys(&url, &prefix).await;
    assert_eq!(keys.len(), 1);
    assert_eq!(
        keys[0].1["endpoint"], "http://127.0.0.1:2001",
        "the first keeps it"
    );

    held.close().await;
    assert!(
        etcd_keys(&url, &prefix).await.is_empty(),
        "closing deletes the key"
    );
    let taken_over = second
        .register(&instance("http://127.0.0.1:2002"), "host-b")
        .await
        .unwrap();
    assert_eq!(
        etcd_keys(&url, &prefix).await[0].1["endpoint"],
        "http://127.0.0.1:2002"
    );
    taken_over.close().await;
}
