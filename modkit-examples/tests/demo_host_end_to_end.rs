//! The built `demo-host` as a real process: it becomes ready on ephemeral ports, serves the
//! users API, keeps its users in SQLite across a restart, and exits 0 soon after SIGTERM.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any single wait may take before the test fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(30);

/// A scratch home directory, removed on drop.
struct Home(PathBuf);

impl Home {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("modkit-e2e-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("create home");
        Self(dir)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running demo host; killed on drop if the test did not stop it.
struct DemoHost {
    child: Child,
    base: String,
    log: mpsc::Receiver<String>,
}

impl DemoHost {
    /// Starts `demo-host` with its data under `home` and every server on an ephemeral
    /// loopback port; returns once the gateway says where it listens.
    fn start(home: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_demo-host"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("RUST_LOG", "info")
            .env("MODKIT__SERVER__HOME_DIR", home)
            .env(
                "MODKIT__MODULES__API_GATEWAY__CONFIG__BIND_ADDR",
                "127.0.0.1:0",
            )
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn demo-host");
        let stderr = child.stderr.take().expect("piped stderr");
        let (lines, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + PATIENCE;
        let base = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = log
                .recv_timeout(left)
                .expect("demo-host logged where the gateway listens");
            if let Some(at) = line.find("listening on http://") {
                let url = line[at + "listening on ".len()..]
                    .split_whitespace()
                    .next()
                    .expect("an address after `listening on`");
                break strip_ansi(url);
            }
        };
        Self { child, base, log }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Polls `/readyz` until it answers 200.
    async fn wait_ready(&self, client: &reqwest::Client) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(response) = client.get(self.url("/readyz")).send().await {
                if response.status() == 200 {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "demo-host never became ready");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The pid of the calculator's child process, from the host's log (bounded wait).
    fn calculator_child_pid(&self) -> u32 {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = strip_ansi(
                &self
                    .log
                    .recv_timeout(left)
                    .expect("the child's pid is logged"),
            );
            if line.contains("child running") && line.contains("calculator") {
                let pid = line
                    .split_whitespace()
                    .find_map(|field| field.strip_prefix("pid="))
                    .expect("a pid field");
                return pid.parse().expect("a numeric pid");
            }
        }
    }

    /// Sends SIGTERM and waits (bounded) for the exit status; returns it with the lines the
    /// host logged from the signal on.
    fn terminate(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let sent = Instant::now();
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(killed.success());
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for demo-host") {
                break status;
            }
            assert!(
                sent.elapsed() < PATIENCE,
                "demo-host still running {PATIENCE:?} after SIGTERM; last log lines: {:?}",
                self.log.try_iter().collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        // The reader ends at the end of the host's stderr, which its exit closes.
        let mut lines = Vec::new();
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) => lines.push(strip_ansi(&line)),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => panic!("demo-host's log never ended"),
            }
        }
        println!("SIGTERM to exit: {:?}", sent.elapsed());
        let signalled = lines
            .iter()
            .position(|line| line.contains("signal received"))
            .unwrap_or_else(|| panic!("demo-host never logged the signal: {lines:#?}"));
        (status, lines.split_off(signalled))
    }
}

impl Drop for DemoHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Asserts that no deadline ran out while the host stopped: each one that does (a `stop`
/// or lifecycle task past its `stop_timeout`, tasks aborted, a child SIGKILLed after its
/// grace period) is logged as a warning or an error, by the host or by its child. This
/// rather than a bound on how long stopping took, which a busy machine can break.
fn assert_stopped_in_time(stopping: &[String]) {
    for line in stopping {
        assert!(
            !line.contains(" WARN ") && !line.contains(" ERROR "),
            "stopping went wrong: {line}\nwhole log from SIGTERM on: {stopping:#?}"
        );
    }
}

/// The gateway's log line may carry terminal colours.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_host_serves_users_keeps_them_across_a_restart_and_stops_on_sigterm() {
    let home = Home::new();
    let client = reqwest::Client::new();

    let host = DemoHost::start(&home.0);
    host.wait_ready(&client).await;
    let created = client
        .post(host.url("/v1/users"))
        .json(&json!({ "name": "Ada", "email": "ada@example.com" }))
        .send()
        .await
        .expect("POST /v1/users");
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let ada: Value = created.json().await.unwrap();
    let invalid = client
        .post(host.url("/v1/users"))
        .json(&json!({ "name": "", "email": "nobody" }))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), 422);

    // The calculator runs out of process (the demo's config): called over gRPC through
    // the directory, answered the same as in-process.
    let sum: Value = client
        .get(host.url("/v1/calc/add?a=2&b=40"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sum, json!({ "result": 42 }));
    let child = host.calculator_child_pid();
    assert!(Path::new(&format!("/proc/{child}")).exists());

    let (status, stopping) = host.terminate();
    assert!(status.success(), "exit status {status:?}");
    assert_stopped_in_time(&stopping);
    assert!(
        !Path::new(&format!("/proc/{child}")).exists(),
        "the calculator's child process outlived the host"
    );

    // Same home directory: the SQLite file still holds Ada.
    let host = DemoHost::start(&home.0);
    host.wait_ready(&client).await;
    let fetched = client.get(host.url(&location)).send().await.unwrap();
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.json::<Value>().await.unwrap(), ada);
    let page: Value = client
        .get(host.url("/v1/users?count=true"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1);
    let deleted = client.delete(host.url(&location)).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    let (status, stopping) = host.terminate();
    assert_stopped_in_time(&stopping);
    assert!(status.success(), "exit status {status:?}");
}
