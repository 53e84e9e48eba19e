//! Schemathesis (`pip install schemathesis`; `.ci/run` installs it) runs every check it has
//! (`--checks all`: its positive and negative data, boundary values, stateful sequences)
//! against the demo's REST API — `users` kept in SQLite under a temp home, and the
//! calculator's gateway — and finds nothing: every status an operation answers is
//! documented, every bound a handler checks is in the document, no request the document
//! calls valid is refused and none it calls invalid is accepted.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit_examples::audit::Audit;
use modkit_examples::calculator::{Calculator, CalculatorGateway};
use modkit_examples::users::Users;
use modkit_tests::{ServedHost, TempHome, TestDb, outside};
use serde_json::{Value, json};

const TEST: &str = "schemathesis_finds_nothing_wrong_with_the_demo_api";
/// Test cases per operation and phase: about 500 requests in all, some seconds here.
const MAX_EXAMPLES: &str = "30";
/// The whole run, well above what it takes on a busy 2-core machine.
const DEADLINE: Duration = Duration::from_secs(100);

async fn serve(db: &TestDb) -> ServedHost {
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("audit", &[], Arc::new(Audit));
    let users = Arc::new(Users::default());
    builder.register_core_with_meta("users", &["audit"], users.clone());
    builder.register_rest_with_meta("users", users.clone());
    builder.register_db_with_meta("users", users);
    builder.register_core_with_meta("calculator", &[], Arc::new(Calculator::default()));
    let gateway = Arc::new(CalculatorGateway);
    builder.register_core_with_meta("calculator-gateway", &["calculator"], gateway.clone());
    builder.register_rest_with_meta("calculator-gateway", gateway);
    ServedHost::start_with_db(builder, json!({}), db, &["users"]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_nothing_wrong_with_the_demo_api() {
    let Some(schemathesis) = outside::tool(TEST, "schemathesis", "pip install schemathesis") else {
        return;
    };
    let db = TestDb::sqlite();
    let host = serve(&db).await;
    let document: Value = host.get("/openapi.json").await.json().await.unwrap();
    let operations: usize = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|path| path.as_object().unwrap().len())
        .sum();
    assert_eq!(operations, 6, "the demo's operations: {document}");

    // Schemathesis keeps its example database and reports in its working directory.
    let scratch = TempHome::new();
    let run = tokio::process::Command::new(&schemathesis)
        .args(["run", "--checks", "all", "--max-examples", MAX_EXAMPLES])
        .args(["--request-timeout", "10", "--no-color"])
        .arg(host.url("/openapi.json"))
        .current_dir(scratch.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(DEADLINE, run)
        .await
        .unwrap_or_else(|_| panic!("schemathesis ran longer than {DEADLINE:?}"))
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", schemathesis.display()));
    host.shut_down().await.assert_ok();

    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && report.contains("No issues found"),
        "schemathesis found problems ({}):\n{report}",
        output.status
    );
}
