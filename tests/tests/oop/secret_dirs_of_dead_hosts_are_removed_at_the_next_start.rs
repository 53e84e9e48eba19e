//! A host that dies without cleaning up (SIGKILL) leaves its `modkit-oop-<pid>-<uuid>`
//! secret dir in the temp dir; the next host that spawns a child removes it. The dir of a
//! live host, and anything that is not a directory of this user, stays.
//!
//! The hosts SIGKILLed here run with a temp dir (`TMPDIR`) of their own: any other test of
//! this process that spawns a child sweeps the system's temp dir, and would remove a dead
//! host's dir there before the test saw it left behind.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::oop::OopBackend;
use modkit_tests::{PATIENCE, TempHome, oop_section, spawn_detached, wait_until_gone, within};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const HOST: &str = env!("CARGO_BIN_EXE_oop-test-host");
const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");

/// A directory as a host with pid `pid` names its secret dir, with a file in it.
fn secret_dir_of(pid: u32) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("modkit-oop-{pid}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("calculator-1.json"), b"{}").unwrap();
    dir
}

/// The secret dirs of host `pid` in `temp`.
fn secret_dirs_of(temp: &Path, pid: u32) -> Vec<PathBuf> {
    let prefix = format!("modkit-oop-{pid}-");
    std::fs::read_dir(temp)
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .map(|entry| entry.path())
        .collect()
}

/// The pid of a process that has exited and been reaped.
async fn dead_pid() -> u32 {
    let mut gone = Command::new(CHILD).arg("crash").spawn().unwrap();
    let pid = gone.id().unwrap();
    within("a crashing child to exit", gone.wait())
        .await
        .unwrap();
    pid
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_hosts_dir_goes_and_a_live_hosts_dir_stays() {
    let stale = secret_dir_of(dead_pid().await);
    let live = secret_dir_of(std::process::id());
    // A symlink named like a stale dir is not followed: what it points to stays.
    let outside = std::env::temp_dir().join(format!("modkit-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("keep"), b"").unwrap();
    let link = std::env::temp_dir().join(format!(
        "modkit-oop-{}-{}",
        dead_pid().await,
        uuid::Uuid::new_v4()
    ));
    std::os::unix::fs::symlink(&outside, &link).unwrap();

    let modules =
        ModulesConfig::new(json!({ "probe": oop_section(CHILD, &["serve"], json!(null)) }));
    let backend = LocalProcessBackend::new(Arc::new(modules), "secret");
    spawn_detached(&backend, "probe").await.unwrap();

    assert!(!stale.exists(), "the dead host's dir is removed");
    assert!(
        live.join("calculator-1.json").exists(),
        "a live host's dir stays"
    );
    assert!(outside.join("keep").exists(), "a symlink is not followed");
    assert!(link.symlink_metadata().is_ok(), "a symlink is left alone");

    backend.stop_all(Duration::from_secs(5)).await;
    std::fs::remove_dir_all(&live).unwrap();
    std::fs::remove_dir_all(&outside).unwrap();
    std::fs::remove_file(&link).unwrap();
}

/// Starts `oop-test-host` with `temp` as its temp dir; returns it and its child's pid once
/// the child runs.
async fn start_host(temp: &Path) -> (Child, u32) {
    let mut host = Command::new(HOST)
        .arg(CHILD)
        .env("TMPDIR", temp)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(host.stdout.take().unwrap()).lines();
    let line = within("the host reports its child", lines.next_line())
        .await
        .unwrap()
        .expect("the host printed a line");
    let child = line
        .strip_prefix("child-pid ")
        .and_then(|pid| pid.parse().ok())
        .unwrap_or_else(|| panic!("unexpected line {line:?}"));
    (host, child)
}

/// SIGKILLs `host` and waits until it and its child are gone.
async fn kill(mut host: Child, child: u32) {
    host.start_kill().unwrap();
    within("the host dies", host.wait()).await.unwrap();
    assert!(
        wait_until_gone(child, PATIENCE).await,
        "child {child} outlived its host"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkilled_hosts_dir_is_removed_by_the_next_host() {
    let temp = TempHome::new();
    let (first, first_child) = start_host(temp.path()).await;
    let first_pid = first.id().unwrap();
    let left = secret_dirs_of(temp.path(), first_pid);
    assert_eq!(left.len(), 1, "the host made one secret dir: {left:?}");
    kill(first, first_child).await;
    assert!(left[0].exists(), "a SIGKILLed host leaves its dir behind");

    let (second, second_child) = start_host(temp.path()).await;
    assert!(
        !left[0].exists(),
        "the next host removed the dead host's dir"
    );
    kill(second, second_child).await;
}
