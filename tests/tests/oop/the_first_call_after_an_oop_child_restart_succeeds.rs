//! After an out-of-process child is killed and restarted, the very first call reaches the
//! new child: the remote client follows the directory instead of holding on to a channel
//! to the dead one.

use modkit::backends::ChildState;
use modkit_tests::{OopCalculator, PATIENCE, wait_until_gone, within};
use rustix::process::{Pid, Signal, kill_process};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_calculator-child");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_call_after_an_oop_child_restart_succeeds() {
    let calculator = OopCalculator::start(
        CHILD,
        json!({ "restart": { "initial_backoff": "10ms" } }),
        json!({}),
    )
    .await;
    // The client now holds a connection to the first child.
    assert_eq!(calculator.add(2, 3).await, Ok(5));

    for attempt in 2..=3 {
        let dead = calculator.child_pid();
        let pid = Pid::from_raw(i32::try_from(dead).unwrap()).unwrap();
        kill_process(pid, Signal::KILL).unwrap();
        assert!(wait_until_gone(dead, PATIENCE).await);
        calculator
            .backend
            .wait_for(
                "calculator",
                PATIENCE,
                |state| matches!(state, ChildState::Running { attempt: a, .. } if *a == attempt),
            )
            .await
            .expect("the child is restarted");
        assert_eq!(
            calculator.add(40, 2).await,
            Ok(42),
            "the first call after restart {attempt}"
        );
    }

    within("the host to stop", calculator.host.shut_down())
        .await
        .assert_ok();
}
