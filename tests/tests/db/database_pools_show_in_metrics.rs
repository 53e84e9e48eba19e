//! Every pool the host's `DbManager` opened shows in the metrics as
//! `db_client_connection_count` by module and state (`used`, `idle`): a connection held by
//! a query counts as used, and is idle again once it is given back.

use std::sync::Arc;

use modkit::Migration;
use modkit::config::ModulesConfig;
use modkit::db::{DbManager, DbSettings};
use modkit::telemetry::metrics::{Metrics, MetricsConfig, TextFormat};
use modkit_tests::{TempHome, within};

fn count(metrics: &Metrics, state: &str) -> Option<f64> {
    let text = metrics.render(TextFormat::Prometheus);
    let prefix = format!(
        "db_client_connection_count{{db_client_connection_pool_name=\"notes\",db_client_connection_state=\"{state}\"}} "
    );
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|value| value.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_pools_show_in_metrics() {
    let home = TempHome::new();
    let manager = Arc::new(DbManager::new(
        DbSettings::new(home.path()),
        Arc::new(ModulesConfig::empty()),
    ));
    let metrics = Metrics::new(MetricsConfig::default());
    metrics.observe_databases(Arc::clone(&manager));
    assert_eq!(count(&metrics, "idle"), None, "no pool is open yet");

    let migrations = [Migration::sql(
        1,
        "create notes",
        "CREATE TABLE notes (body TEXT)",
    )];
    manager.migrate("notes", &migrations).await.unwrap();
    let pool = manager.provider("notes").unwrap().sqlite().unwrap().clone();
    // sqlx gives a dropped connection back on a task of its own: wait (bounded) for it.
    let all_given_back = || {
        within("the connections to be given back", async {
            while count(&metrics, "used") != Some(0.0) {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        })
    };
    all_given_back().await;
    let held = pool.acquire().await.unwrap();
    assert_eq!(count(&metrics, "used"), Some(1.0));
    drop(held);
    all_given_back().await;
    let idle = count(&metrics, "idle").unwrap_or(0.0);
    assert!(idle >= 1.0, "the connection given back is idle: {idle}");
    manager.close().await;
}
