//! A child that stops answering (SIGSTOP) fails each call at the module's
//! `runtime.call_timeout` (a 504 problem through the gateway) instead of holding it; once
//! the directory expires its registration (no heartbeats) the module is degraded, and after
//! `restart.unresponsive_after` the supervisor kills the child and starts a new one, whose
//! first call succeeds.

use std::time::Duration;

use axum::http::StatusCode;
use modkit::backends::ChildState;
use modkit::runtime::ModuleState;
use modkit_examples::calculator::CalculatorError;
use modkit_tests::{OopCalculator, PATIENCE, process_is_stopped, wait_until_gone, within};
use rustix::process::{Pid, Signal, kill_process};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_calculator-child");
const CALL_TIMEOUT: Duration = Duration::from_millis(250);

/// Waits (bounded) until the calculator's state is not `ready`; that state.
async fn leaves_ready(calculator: &OopCalculator) -> Option<ModuleState> {
    within("the calculator to leave `ready`", async {
        loop {
            let state = calculator.state();
            if state != Some(ModuleState::Ready) {
                break state;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_oop_child_fails_calls_at_their_deadline_and_is_restarted() {
    let calculator = OopCalculator::start(
        CHILD,
        json!({
            "call_timeout": "250ms",
            "restart": { "initial_backoff": "10ms", "unresponsive_after": "300ms" },
        }),
        // Heartbeats every 500 ms: the stopped child stays registered for at least 1 s, so
        // the calls below reach it rather than finding no instance.
        json!({ "instance_ttl": "1500ms" }),
    )
    .await;
    assert_eq!(calculator.add(2, 3).await, Ok(5));
    assert_eq!(calculator.state(), Some(ModuleState::Ready));

    let stalled = calculator.child_pid();
    let pid = Pid::from_raw(i32::try_from(stalled).unwrap()).unwrap();
    kill_process(pid, Signal::STOP).unwrap();
    within("the child to stop", async {
        while !process_is_stopped(stalled) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;

    let (call, (status, problem)) = within("calls to the stalled child", async {
        tokio::join!(calculator.add(2, 3), calculator.get_add(2, 3))
    })
    .await;
    assert_eq!(
        call,
        Err(CalculatorError::DeadlineExceeded {
            deadline: CALL_TIMEOUT
        }),
        "the call fails at its deadline"
    );
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT, "{problem}");
    assert_eq!(problem["status"], 504, "{problem}");

    assert_eq!(
        leaves_ready(&calculator).await,
        Some(ModuleState::Degraded),
        "the module is degraded once the directory expired the stalled child"
    );

    let restarted = calculator
        .backend
        .wait_for("calculator", PATIENCE, |state| {
            matches!(state, ChildState::Running { attempt: 2, .. })
        })
        .await
        .expect("the stalled child is replaced");
    assert!(
        wait_until_gone(stalled, PATIENCE).await,
        "the stalled child {stalled} was killed"
    );
    let ChildState::Running { pid: fresh, .. } = restarted else {
        unreachable!()
    };
    assert_ne!(fresh, stalled);
    assert_eq!(
        calculator.add(40, 2).await,
        Ok(42),
        "the first call after the restart succeeds"
    );
    within("the calculator to be ready again", async {
        while calculator.state() != Some(ModuleState::Ready) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;

    within("the host to stop", calculator.host.shut_down())
        .await
        .assert_ok();
    assert!(wait_until_gone(fresh, PATIENCE).await);
}
