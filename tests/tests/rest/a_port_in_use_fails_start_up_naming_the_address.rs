//! A gateway whose `bind_addr` is taken fails the start phase with an error naming the
//! address, and start-up rolls back.

use modkit::Phase;
use modkit::registry::RegistryBuilder;
use modkit_tests::{TestHost, error_chain, register_gateway, with_loopback_gateway};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_port_fails_the_start_phase_naming_the_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();

    let mut builder = RegistryBuilder::default();
    register_gateway(&mut builder);
    let finished = TestHost::new(builder)
        .config(with_loopback_gateway(serde_json::json!({
            "api-gateway": { "config": { "bind_addr": addr.to_string() } },
        })))
        .run_expecting_failure()
        .await;

    let error = finished.error();
    let text = error_chain(error);
    assert!(text.contains(&format!("`{addr}`")), "{text}");
    assert!(text.contains("api-gateway"), "{text}");
    let hook = finished
        .report
        .module("api-gateway")
        .and_then(|m| m.hook(Phase::Start))
        .expect("the gateway's start ran");
    assert!(!hook.outcome.is_ok());
    drop(taken);
}
