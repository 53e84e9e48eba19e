//! etcd with authentication: a host whose `directory.password_file` holds the wrong
//! password exits 1 with an error naming the user and never the password; `config` shows
//! the password file redacted; the right password connects.

use modkit::directory::etcd::EtcdDirectory;
use modkit::directory::{DirectoryConfig, EtcdConfig};
use modkit_tests::{EtcdMember, HostProcess, cluster_config, etcd_client};
use serde_json::{Value, json};

const HOST: &str = env!("CARGO_BIN_EXE_cluster-host");
const RIGHT: &str = "right-horse-battery";
const WRONG: &str = "wrong-staple-7";

fn directory(url: &str, password_file: &std::path::Path) -> Value {
    json!({
        "backend": "etcd", "endpoints": [url], "connect_timeout": "5s",
        "username": "root", "password_file": password_file,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_etcd_password_names_the_user_not_the_password() {
    let Some(member) =
        EtcdMember::start("a_wrong_etcd_password_names_the_user_not_the_password").await
    else {
        return;
    };
    let url = member.url();
    let mut admin = etcd_client(&url).await;
    admin.user_add("root", RIGHT, None).await.unwrap();
    // etcd's `root` role may or may not exist yet.
    let _ = admin.role_add("root").await;
    admin.user_grant_role("root", "root").await.unwrap();
    admin.auth_enable().await.unwrap();

    let mut host = HostProcess::start(HOST, |home| {
        let file = home.join("etcd-password");
        std::fs::write(&file, format!("{WRONG}\n")).unwrap();
        cluster_config(HOST, home, directory(&url, &file))
    });
    let status = host.exit_status().await;
    let log = host.log().join("\n");
    assert_eq!(status.code(), Some(1), "{log}");
    assert!(log.contains("refused user `root`"), "{log}");
    assert!(!log.contains(WRONG), "the password never shows:\n{log}");

    // `config` prints the effective config with the password file redacted.
    let config_file = host.home().join("config.yaml");
    let printed = std::process::Command::new(HOST)
        .arg("--config")
        .arg(&config_file)
        .arg("config")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    assert!(printed.status.success(), "{printed:?}");
    let effective: Value = serde_json::from_slice(&printed.stdout).unwrap();
    assert_eq!(
        effective["directory"]["password_file"], "***",
        "{effective}"
    );
    assert_eq!(effective["directory"]["username"], "root", "{effective}");

    // The right password connects.
    let right = host.home().join("right-password");
    std::fs::write(&right, RIGHT).unwrap();
    let DirectoryConfig::Etcd(config): DirectoryConfig =
        DirectoryConfig::from_value(&directory(&url, &right)).unwrap()
    else {
        unreachable!()
    };
    let config: EtcdConfig = config;
    EtcdDirectory::connect(&config).await.unwrap();
}
