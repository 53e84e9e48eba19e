//! `modkit::testing::TestHost::each_placement` runs one test body with the calculator in
//! process and then in a real child process, so code written against `CalculatorApi` is
//! checked in both; `kill_child` and `stall_child` make that child crash or hang with one
//! line each.

use std::sync::Mutex;
use std::time::Duration;

use modkit::testing::{Placement, TestHost, TestHostError};
use modkit_examples::calculator::{CalculatorApi, CalculatorError};
use modkit_tests::{process_is_gone, process_is_stopped, within};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_calculator-child");

/// The hub the child registers with, the calculator, and its REST route on a real gateway.
fn calculator_host() -> TestHost {
    TestHost::with_modules([
        "grpc-hub",
        "api-gateway",
        "calculator",
        "calculator-gateway",
    ])
}

fn out_of_process() -> Placement {
    Placement::OutOfProcess {
        binary: CHILD.into(),
    }
}

/// `a + b` through the ClientHub, retried (bounded) while the child is being replaced.
async fn add_once_served(host: &modkit::testing::RunningTestHost, a: i64, b: i64) -> i64 {
    let calculator = host.client_hub().get::<dyn CalculatorApi>().unwrap();
    within("a call to be served", async {
        loop {
            if let Ok(sum) = calculator.add(a, b).await {
                break sum;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_body_sees_the_same_answers_in_both_placements() {
    let ran = Mutex::new(Vec::new());
    TestHost::each_placement(
        "calculator",
        CHILD,
        calculator_host,
        async |host, placement| {
            let calculator = host.client_hub().get::<dyn CalculatorApi>().unwrap();
            assert_eq!(calculator.add(2, 3).await, Ok(5), "{placement}");
            assert_eq!(
                calculator.add(i64::MAX, 1).await,
                Err(CalculatorError::Overflow { a: i64::MAX, b: 1 }),
                "{placement}"
            );
            let answer = host
                .http()
                .unwrap()
                .get("/v1/calc/add?a=40&b=2")
                .await
                .unwrap();
            assert_eq!(answer.status(), 200, "{placement}");
            assert_eq!(
                answer.json::<serde_json::Value>().unwrap(),
                json!({ "result": 42 })
            );
            let child = host.child_pid("calculator");
            match placement {
                Placement::InProcess => assert_eq!(child, None),
                _ => assert!(child.is_some(), "a child serves the calculator"),
            }
            ran.lock().unwrap().push(placement.clone());
        },
    )
    .await
    .unwrap();
    assert_eq!(
        *ran.lock().unwrap(),
        [Placement::InProcess, out_of_process()]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_names_the_placement_it_happened_in() {
    // A child program that does not exist: in process the host runs, out of process its
    // spawn fails.
    let missing = "/nonexistent/calculator-child";
    let mut runs = 0;
    let error = TestHost::each_placement("calculator", missing, calculator_host, async |_, _| {
        runs += 1;
    })
    .await
    .unwrap_err();
    assert_eq!(runs, 1, "the in-process run went through");
    let TestHostError::InPlacement {
        module, placement, ..
    } = &error
    else {
        panic!("not an InPlacement error: {error:?}");
    };
    assert_eq!(module, "calculator");
    assert!(placement.starts_with("out of process ("), "{placement}");
    assert!(
        error
            .to_string()
            .starts_with("with `calculator` out of process ("),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_child_is_restarted_and_serves_again() {
    let host = calculator_host()
        .place("calculator", out_of_process())
        .module_section(
            "calculator",
            json!({ "runtime": { "restart": { "initial_backoff": "10ms" } } }),
        )
        .start()
        .await
        .unwrap();
    assert_eq!(add_once_served(&host, 2, 3).await, 5);
    let killed = host.kill_child("calculator").unwrap();
    let replaced = within("a new child", async {
        loop {
            match host.child_pid("calculator") {
                Some(pid) if pid != killed => break pid,
                _ => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    })
    .await;
    assert!(process_is_gone(killed));
    assert_ne!(replaced, killed);
    assert_eq!(add_once_served(&host, 40, 2).await, 42);
    host.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_child_fails_calls_at_their_deadline_until_it_resumes() {
    let host = calculator_host()
        .place("calculator", out_of_process())
        .module_section(
            "calculator",
            json!({ "runtime": { "call_timeout": "300ms" } }),
        )
        .start()
        .await
        .unwrap();
    assert_eq!(add_once_served(&host, 2, 3).await, 5);
    let stalled = host.stall_child("calculator").unwrap();
    within("the child to stop", async {
        while !process_is_stopped(stalled) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    let calculator = host.client_hub().get::<dyn CalculatorApi>().unwrap();
    assert_eq!(
        calculator.add(1, 1).await,
        Err(CalculatorError::DeadlineExceeded {
            deadline: Duration::from_millis(300)
        })
    );
    assert_eq!(host.resume_child("calculator").unwrap(), stalled);
    assert_eq!(add_once_served(&host, 1, 1).await, 2);
    assert_eq!(
        host.child_pid("calculator"),
        Some(stalled),
        "the same child"
    );
    host.stop().await.unwrap();

    // A module without a child has nothing to signal.
    let host = calculator_host().start().await.unwrap();
    assert_eq!(
        host.kill_child("calculator").unwrap_err().to_string(),
        "module `calculator` has no running child process"
    );
    host.stop().await.unwrap();
}
