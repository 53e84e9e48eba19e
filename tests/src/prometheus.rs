//! A real Prometheus server (Debian's `prometheus` package; `.ci/run` installs it) of the
//! test's own: on a free loopback port, with a temporary data dir and a scrape config
//! pointing at one target; killed and its data removed on drop, even when the test fails.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::cluster::free_port;
use crate::outside::tool;
use crate::test_host::PATIENCE;

/// How often it scrapes its target.
pub const SCRAPE_INTERVAL: Duration = Duration::from_secs(1);

/// A running Prometheus scraping one target.
#[derive(Debug)]
pub struct PrometheusServer {
    dir: PathBuf,
    port: u16,
    process: Option<Child>,
    client: reqwest::Client,
}

impl PrometheusServer {
    /// Starts one scraping `http://<target>/metrics` as job `job` every
    /// [`SCRAPE_INTERVAL`]; returns once it answers, or `None` after saying that `test`
    /// skips.
    ///
    /// # Panics
    /// When it does not become ready within [`PATIENCE`], or `prometheus` is missing and
    /// skips are failures.
    pub async fn start(test: &str, job: &str, target: SocketAddr) -> Option<Self> {
        let binary = tool(test, "prometheus", "apt-get install prometheus")?;
        let dir = std::env::temp_dir().join(format!("modkit-prometheus-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("create Prometheus's dir");
        let seconds = SCRAPE_INTERVAL.as_secs();
        let config = format!(
            "global:\n  scrape_interval: {seconds}s\n  scrape_timeout: {seconds}s\n\
             scrape_configs:\n  - job_name: {job}\n    static_configs:\n      - targets: ['{target}']\n"
        );
        std::fs::write(dir.join("prometheus.yml"), config).expect("write the scrape config");
        let port = free_port();
        let log = std::fs::File::create(dir.join("prometheus.log")).expect("its log file");
        let process = Command::new(binary)
            .arg(format!(
                "--config.file={}",
                dir.join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn prometheus");
        let server = Self {
            dir,
            port,
            process: Some(process),
            client: reqwest::Client::new(),
        };
        let ready = async {
            loop {
                let probe = server.client.get(server.url("/-/ready")).send().await;
                if probe.is_ok_and(|response| response.status().is_success()) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        if tokio::time::timeout(PATIENCE, ready).await.is_err() {
            panic!(
                "Prometheus did not become ready within {PATIENCE:?}; its log:\n{}",
                server.log()
            );
        }
        Some(server)
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// What it logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("prometheus.log")).unwrap_or_default()
    }

    /// The instant query `query`'s result vector (`data.result`) as of now.
    ///
    /// # Panics
    /// When the query fails.
    pub async fn query(&self, query: &str) -> Vec<Value> {
        let response = self
            .client
            .get(self.url("/api/v1/query"))
            .query(&[("query", query)])
            .send();
        let body: Value = crate::within(&format!("query `{query}`"), response)
            .await
            .and_then(reqwest::Response::error_for_status)
            .unwrap_or_else(|error| panic!("query `{query}` failed: {error}"))
            .json()
            .await
            .unwrap_or_else(|error| panic!("query `{query}` answered no JSON: {error}"));
        assert_eq!(body["status"], "success", "query `{query}`: {body}");
        body["data"]["result"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The single value `query` gives, if it gives one.
    pub async fn value(&self, query: &str) -> Option<f64> {
        let result = self.query(query).await;
        result.first()?["value"][1].as_str()?.parse().ok()
    }

    /// Waits (within [`PATIENCE`] plus two scrape intervals) until it has scraped job
    /// `job` successfully `scrapes` times.
    ///
    /// # Panics
    /// When it has not by then.
    pub async fn wait_for_scrapes(&self, job: &str, scrapes: usize) {
        let query = format!("sum_over_time(up{{job=\"{job}\"}}[5m])");
        let patience = PATIENCE + 2 * SCRAPE_INTERVAL;
        let scraped = async {
            loop {
                if self
                    .value(&query)
                    .await
                    .is_some_and(|up| up >= scrapes as f64)
                {
                    return;
                }
                tokio::time::sleep(SCRAPE_INTERVAL / 4).await;
            }
        };
        if tokio::time::timeout(patience, scraped).await.is_err() {
            panic!(
                "Prometheus did not scrape `{job}` {scrapes} times within {patience:?}; targets: {:?}; log:\n{}",
                self.query(&format!("up{{job=\"{job}\"}}")).await,
                self.log()
            );
        }
    }
}

impl Drop for PrometheusServer {
    fn drop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
