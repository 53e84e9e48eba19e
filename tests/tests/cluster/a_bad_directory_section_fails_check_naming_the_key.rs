//! `check` validates the `directory` section before anything runs: a bad one exits 2 naming
//! the key, an unknown backend names the choices, and an inline password is refused.

use modkit_tests::cluster_config;
use serde_json::{Value, json};

const HOST: &str = env!("CARGO_BIN_EXE_cluster-host");

fn check(directory: Value) -> (Option<i32>, String) {
    let home = std::env::temp_dir().join(format!("modkit-check-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&home).unwrap();
    let file = home.join("config.yaml");
    let config = cluster_config(HOST, &home, directory);
    std::fs::write(&file, serde_json::to_string(&config).unwrap()).unwrap();
    let output = std::process::Command::new(HOST)
        .arg("--config")
        .arg(&file)
        .arg("check")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&home);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_bad_directory_section_fails_check_naming_the_key() {
    let (code, stderr) = check(json!({ "backend": "etcd", "endpoints": [] }));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("`directory.endpoints`"), "{stderr}");

    let (code, stderr) = check(json!({ "backend": "consul" }));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("`consul`") && stderr.contains("`etcd`"),
        "{stderr}"
    );

    let (code, stderr) = check(json!({
        "backend": "etcd", "endpoints": ["http://127.0.0.1:2379"], "password": "hunter2",
    }));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("password_file"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");

    let (code, stderr) = check(json!({ "backend": "host" }));
    assert_eq!(code, Some(0), "{stderr}");
}
