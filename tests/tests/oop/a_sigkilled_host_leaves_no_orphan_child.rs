use std::process::Stdio;

use modkit_tests::{PATIENCE, wait_until_gone, within};
use tokio::io::{AsyncBufReadExt, BufReader};

const HOST: &str = env!("CARGO_BIN_EXE_oop-test-host");
const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkilled_host_leaves_no_orphan_child() {
    let mut host = tokio::process::Command::new(HOST)
        .arg(CHILD)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(host.stdout.take().unwrap()).lines();
    let line = within("the host reports its child", lines.next_line())
        .await
        .unwrap()
        .expect("the host printed a line");
    let child: u32 = line
        .strip_prefix("child-pid ")
        .and_then(|pid| pid.parse().ok())
        .unwrap_or_else(|| panic!("unexpected line {line:?}"));
    assert!(!modkit_tests::process_is_gone(child));

    host.start_kill().unwrap(); // SIGKILL: the host runs no shutdown code at all
    within("the host dies", host.wait()).await.unwrap();

    assert!(
        wait_until_gone(child, PATIENCE).await,
        "child {child} outlived its SIGKILLed host"
    );
}
