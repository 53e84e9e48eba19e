//! Fixtures for the cluster tests: etcd (the shared member `.ci/run` starts, or a private
//! one a test can stop and start) and a whole host process whose directory is on etcd.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::PATIENCE;
use crate::outside::{service, tool};

/// Names the etcd member the cluster tests use (`http://127.0.0.1:PORT`); `.ci/run` starts
/// one and sets it.
pub const ETCD_URL_VAR: &str = "MODKIT_TEST_ETCD_URL";

/// The shared etcd member's URL, or `None` after saying that `test` skips.
///
/// # Panics
/// When the variable is unset and skips are failures.
pub fn etcd_url(test: &str) -> Option<String> {
    service(
        test,
        ETCD_URL_VAR,
        "an etcd member (`source .ci/etcd.sh` starts one)",
    )
}

/// A key prefix no other test uses, so that tests sharing one etcd never see each other.
pub fn unique_prefix() -> String {
    format!("/modkit-test-{}", uuid::Uuid::new_v4().simple())
}

/// A connected etcd client.
///
/// # Panics
/// When etcd does not answer within [`PATIENCE`].
pub async fn etcd_client(url: &str) -> etcd_client::Client {
    let connect = async {
        let mut client = etcd_client::Client::connect([url], None).await?;
        client.status().await?;
        Ok::<_, etcd_client::Error>(client)
    };
    tokio::time::timeout(PATIENCE, connect)
        .await
        .expect("etcd answers in time")
        .expect("etcd answers")
}

/// The keys and values under `prefix`.
pub async fn etcd_keys(url: &str, prefix: &str) -> Vec<(String, Value)> {
    let mut client = etcd_client(url).await;
    let listing = client
        .get(prefix, Some(etcd_client::GetOptions::new().with_prefix()))
        .await
        .expect("etcd lists the prefix");
    listing
        .kvs()
        .iter()
        .map(|kv| {
            let value = serde_json::from_slice(kv.value()).unwrap_or(Value::Null);
            (String::from_utf8_lossy(kv.key()).into_owned(), value)
        })
        .collect()
}

/// A free loopback port (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// An etcd member of the test's own, which it can stop and start again on the same ports
/// and data; killed and its data removed on drop.
#[derive(Debug)]
pub struct EtcdMember {
    binary: PathBuf,
    dir: PathBuf,
    client_port: u16,
    peer_port: u16,
    process: Option<Child>,
}

impl EtcdMember {
    /// Starts one (the `etcd` binary on `PATH`), or `None` after saying that `test` skips.
    ///
    /// # Panics
    /// When it does not become healthy within [`PATIENCE`], or `etcd` is missing and skips
    /// are failures.
    pub async fn start(test: &str) -> Option<Self> {
        let binary = tool(test, "etcd", "apt-get install etcd-server")?;
        let dir = std::env::temp_dir().join(format!("modkit-etcd-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("create the member's dir");
        let mut member = Self {
            binary,
            dir,
            client_port: free_port(),
            peer_port: free_port(),
            process: None,
        };
        member.resume().await;
        Some(member)
    }

    /// Its client URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.client_port)
    }

    /// Stops it (SIGTERM, then waits for the exit, bounded).
    pub fn stop(&mut self) {
        let Some(mut process) = self.process.take() else {
            return;
        };
        signal(process.id(), "TERM");
        let deadline = Instant::now() + PATIENCE;
        while process.try_wait().expect("wait for etcd").is_none() {
            assert!(Instant::now() < deadline, "etcd outlived SIGTERM");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Starts it again on the same ports and data; returns once it is healthy.
    pub async fn resume(&mut self) {
        let peer = format!("http://127.0.0.1:{}", self.peer_port);
        let log = std::fs::File::create(self.dir.join("etcd.log")).expect("etcd's log file");
        let process = Command::new(&self.binary)
            .args(["--name", "member", "--data-dir"])
            .arg(self.dir.join("data"))
            .args(["--listen-client-urls", &self.url()])
            .args(["--advertise-client-urls", &self.url()])
            .args(["--listen-peer-urls", &peer])
            .args(["--initial-advertise-peer-urls", &peer])
            .args(["--initial-cluster", &format!("member={peer}")])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn etcd");
        self.process = Some(process);
        let url = self.url();
        let healthy = async {
            loop {
                let probe = async {
                    let mut client = etcd_client::Client::connect([&url], None).await?;
                    client.status().await
                };
                if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_secs(1), probe).await {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        if tokio::time::timeout(PATIENCE, healthy).await.is_err() {
            let log = std::fs::read_to_string(self.dir.join("etcd.log")).unwrap_or_default();
            panic!("etcd did not become healthy within {PATIENCE:?}; its log:\n{log}");
        }
    }
}

impl Drop for EtcdMember {
    fn drop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Sends `SIG<name>` to `pid`.
pub fn signal(pid: u32, name: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success(), "kill -{name} {pid}");
}

/// The `cluster-host` binary's config: every example module, servers on ephemeral loopback
/// ports, data under `home`, the calculator in a child process (the same binary), and the
/// given `directory` section.
pub fn cluster_config(binary: &str, home: &Path, directory: Value) -> Value {
    json!({
        "server": { "home_dir": home },
        "logging": { "level": "info" },
        "runtime": { "start_timeout": "30s", "stop_timeout": "10s" },
        "directory": directory,
        "modules": {
            "audit": { "config": { "capacity": 50 } },
            "ticker": { "config": { "interval_ms": 1000 } },
            "grpc-hub": { "config": { "bind_addr": "127.0.0.1:0" } },
            "api-gateway": { "config": { "bind_addr": "127.0.0.1:0", "title": "cluster test" } },
            "calculator": {
                "runtime": {
                    "type": "oop",
                    "execution": { "binary": binary, "args": ["oop-child"] }
                }
            }
        }
    })
}

/// A host process (`run_server`) started with a config file; killed on drop.
#[derive(Debug)]
pub struct HostProcess {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    /// Bumped at each new log line, and once more (to `true`) when its stderr closes.
    logged: tokio::sync::watch::Receiver<(usize, bool)>,
    home: PathBuf,
}

impl HostProcess {
    /// Starts `binary` with `config` written to a file in a fresh home dir (its `server.home_dir`
    /// is set there).
    pub fn start(binary: &str, config: impl FnOnce(&Path) -> Value) -> Self {
        Self::start_logging(binary, "info", config)
    }

    /// [`start`](Self::start) with `RUST_LOG` set to `filter`.
    pub fn start_logging(binary: &str, filter: &str, config: impl FnOnce(&Path) -> Value) -> Self {
        let home = std::env::temp_dir().join(format!("modkit-cluster-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&home).expect("create home");
        let file = home.join("config.yaml");
        std::fs::write(&file, serde_json::to_string_pretty(&config(&home)).unwrap())
            .expect("write the config");
        let mut child = Command::new(binary)
            .arg("--config")
            .arg(&file)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("RUST_LOG", filter)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the host");
        let stderr = child.stderr.take().expect("piped stderr");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let (tell, logged) = tokio::sync::watch::channel((0, false));
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(strip_ansi(&line));
                tell.send_modify(|(count, _)| *count += 1);
            }
            tell.send_modify(|(_, closed)| *closed = true);
        });
        Self {
            child,
            lines,
            logged,
            home,
        }
    }

    /// Its pid.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its home dir.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// What it has logged so far.
    pub fn log(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// The first line (from now or earlier) that `find` maps to `Some`, waiting up to
    /// [`PATIENCE`].
    pub async fn wait_for_line<T>(&self, what: &str, find: impl Fn(&str) -> Option<T>) -> T {
        let mut logged = self.logged.clone();
        let found = tokio::time::timeout(PATIENCE, async {
            loop {
                if let Some(found) = self.log().iter().find_map(|line| find(line)) {
                    return Some(found);
                }
                // Woken by the next line; a closed log will bring no more.
                if logged.changed().await.is_err() {
                    return None;
                }
            }
        })
        .await;
        match found {
            Ok(Some(found)) => found,
            _ => panic!(
                "the host never logged {what}; its log:\n{}",
                self.log().join("\n")
            ),
        }
    }

    /// Where its REST gateway listens (`http://127.0.0.1:PORT`).
    pub async fn base_url(&self) -> String {
        self.wait_for_line("where the gateway listens", |line| {
            let at = line.find("listening on http://")?;
            line[at + "listening on ".len()..]
                .split_whitespace()
                .next()
                .map(str::to_owned)
        })
        .await
    }

    /// Polls `/readyz` until it answers 200; returns the base URL.
    pub async fn wait_ready(&self, client: &reqwest::Client) -> String {
        let base = self.base_url().await;
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(response) = client.get(format!("{base}/readyz")).send().await {
                if response.status() == 200 {
                    return base;
                }
            }
            assert!(
                Instant::now() < deadline,
                "the host never became ready; its log:\n{}",
                self.log().join("\n")
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits (bounded) for it to exit by itself.
    pub async fn exit_status(&mut self) -> ExitStatus {
        // Its stderr closes when it exits; then reaping it does not block.
        let mut logged = self.logged.clone();
        let closed = tokio::time::timeout(PATIENCE, logged.wait_for(|&(_, closed)| closed)).await;
        if !matches!(closed, Ok(Ok(_))) {
            panic!(
                "the host did not exit within {PATIENCE:?}; its log:\n{}",
                self.log().join("\n")
            );
        }
        self.child.wait().expect("wait for the host")
    }

    /// Sends SIGTERM and waits (bounded) for the exit.
    pub async fn terminate(&mut self) -> ExitStatus {
        signal(self.pid(), "TERM");
        self.exit_status().await
    }
}

impl Drop for HostProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
