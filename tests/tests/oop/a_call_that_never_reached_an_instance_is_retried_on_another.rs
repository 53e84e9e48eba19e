//! A call whose instance refuses the connection never ran, so the remote client makes it
//! once more on another live instance: a newer registration at a dead endpoint does not
//! fail calls while an older live instance serves.

use modkit::directory::{DirectoryClient, InstanceInfo};
use modkit_examples::calculator::{CalculatorApi, CalculatorGrpcClient, SERVICE_NAME};
use modkit_tests::{OopCalculator, within};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_calculator-child");

/// An endpoint where nothing listens: a port that was free a moment ago.
async fn dead_endpoint() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_that_never_reached_an_instance_is_retried_on_another() {
    let calculator = OopCalculator::start(CHILD, json!({}), json!({})).await;
    let access = calculator.directory();
    let directory = DirectoryClient::connect(&access.endpoint).await.unwrap();
    let dead = dead_endpoint().await;
    directory
        .register(
            &access.secret,
            &InstanceInfo {
                module: "calculator".to_owned(),
                instance_id: "gone".to_owned(),
                services: vec![SERVICE_NAME.to_owned()],
                endpoint: dead.clone(),
            },
        )
        .await
        .unwrap();
    let live = directory.resolve(SERVICE_NAME).await.unwrap();
    assert_eq!(live.len(), 2);
    assert_eq!(live[0].endpoint, dead, "the dead instance is the newest");

    let fresh = CalculatorGrpcClient::through_directory(directory);
    assert_eq!(
        fresh.add(2, 3).await,
        Ok(5),
        "the call is retried on the live instance"
    );
    assert_eq!(calculator.add(40, 2).await, Ok(42));

    within("the host to stop", calculator.host.shut_down())
        .await
        .assert_ok();
}
