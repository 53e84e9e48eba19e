//! Two processes that migrate the same fresh home dir at the same moment both succeed:
//! neither sees `database is locked` while the SQLite files are created and switched to
//! WAL, and each migration is applied exactly once.

use std::collections::BTreeMap;
use std::process::Output;

use modkit_tests::{TempHome, within};

const MIGRATE: &str = env!("CARGO_BIN_EXE_db-migrate");
const ROUNDS: usize = 30;
/// Modules (SQLite files) per round: each is a race of its own.
const MODULES: usize = 32;

async fn migrate(home: &TempHome) -> Output {
    let run = tokio::process::Command::new(MIGRATE)
        .arg(home.path())
        .arg(MODULES.to_string())
        .kill_on_drop(true)
        .output();
    within("a migration process to end", run).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_migrations_of_a_fresh_home_at_once_both_succeed() {
    let mut failures = Vec::new();
    for round in 1..=ROUNDS {
        let home = TempHome::new();
        let (first, second) = tokio::join!(migrate(&home), migrate(&home));
        let mut applied: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for output in [first, second] {
            if !output.status.success() {
                failures.push(format!(
                    "round {round}: {}",
                    String::from_utf8_lossy(&output.stderr).trim()
                ));
                continue;
            }
            let by_module: BTreeMap<String, Vec<i64>> =
                serde_json::from_slice(&output.stdout).unwrap();
            for (module, versions) in by_module {
                applied.entry(module).or_default().extend(versions);
            }
        }
        if failures.is_empty() {
            assert_eq!(applied.len(), MODULES, "round {round}: {applied:?}");
            for (module, mut versions) in applied {
                versions.sort_unstable();
                assert_eq!(
                    versions,
                    [1, 2],
                    "round {round}: `{module}` applied each once"
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ROUNDS} rounds failed: {failures:#?}",
        failures.len()
    );
}
