//! `modkit::testing::TestHost`: chosen modules, stand-ins for their unchosen
//! dependencies, fake clients in the hub, and a clean stop.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use modkit::testing::{TestHost, TestHostError};
use modkit_examples::audit::AuditApi;
use modkit_tests::within;

/// An audit log that only remembers, so the test can see what `ticker` sent it.
#[derive(Debug, Default)]
struct FakeAudit(Mutex<Vec<String>>);

impl AuditApi for FakeAudit {
    fn record(&self, source: &str, event: &str) {
        self.0.lock().unwrap().push(format!("{source}: {event}"));
    }

    fn recent(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chosen_module_calls_the_fake_client_in_place_of_its_unchosen_dependency() {
    let fake = Arc::new(FakeAudit::default());
    let host = TestHost::with_modules(["ticker"])
        .module_config("ticker", serde_json::json!({ "interval_ms": 5 }))
        .client::<dyn AuditApi>(fake.clone())
        .start()
        .await
        .expect("ticker starts against the fake audit");

    // The real audit module was not chosen: its place is held by a stand-in, and the
    // hub still holds the fake (no real audit replaced it).
    let names: Vec<String> = host
        .report()
        .snapshot()
        .modules
        .iter()
        .map(|m| m.name.to_string())
        .collect();
    assert_eq!(names, ["audit", "ticker"]);
    within("the first tick reaching the fake audit", async {
        while fake.recent().is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert!(
        fake.recent()[0].starts_with("ticker: "),
        "{:?}",
        fake.recent()
    );
    host.stop().await.expect("stops cleanly");
}

#[tokio::test]
async fn an_unknown_module_name_is_refused_with_a_suggestion() {
    let error = TestHost::with_modules(["tikcer"])
        .start()
        .await
        .unwrap_err();
    assert!(
        matches!(error, TestHostError::UnknownModule { .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("did you mean `ticker`"),
        "{error}"
    );
}

#[tokio::test]
async fn a_failing_start_up_is_returned_as_the_start_error() {
    let error = TestHost::with_modules(["ticker"])
        .module_config("ticker", serde_json::json!({ "interval_ms": 0 }))
        .client::<dyn AuditApi>(Arc::new(FakeAudit::default()))
        .start()
        .await
        .unwrap_err();
    let TestHostError::Startup(cause) = &error else {
        panic!("expected a start-up error, got {error}");
    };
    assert!(
        modkit_tests::error_chain(cause).contains("interval_ms"),
        "{}",
        modkit_tests::error_chain(cause)
    );
}
