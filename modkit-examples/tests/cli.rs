//! The demo host's command line, run as a real process: `check`, `graph`, `config` and
//! every kind of bad config.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory for one test, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("modkit-cli-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Self(dir)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `demo-host` with `args` and extra `MODKIT__` variables, in a clean environment
/// apart from `PATH` and `HOME`, so the developer's own `MODKIT__` settings don't leak in.
fn demo_host(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_demo-host"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("MODKIT__SERVER__HOME_DIR", home);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run demo-host")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn check_lists_modules_in_start_order_and_exits_zero() {
    let scratch = Scratch::new();
    let output = demo_host(&scratch.0, &["check"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let audit = text.find("audit").expect("audit listed");
    let ticker = text.find("ticker").expect("ticker listed");
    assert!(
        audit < ticker,
        "audit must come before its dependent:\n{text}"
    );
    assert!(text.contains("[stateful]"), "{text}");
    assert!(text.contains("config ok"), "{text}");
}

#[test]
fn graph_json_is_a_manifest_of_every_module() {
    let scratch = Scratch::new();
    let output = demo_host(&scratch.0, &["graph", "--format", "json"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let manifest: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let modules = manifest["modules"].as_array().expect("modules array");
    let ticker = modules
        .iter()
        .find(|m| m["name"] == "ticker")
        .expect("ticker in manifest");
    assert_eq!(ticker["deps"], serde_json::json!(["audit"]));
    assert_eq!(ticker["capabilities"], serde_json::json!(["stateful"]));
    assert_eq!(ticker["placement"], "local");

    // Routes and services come from the modules' own registration hooks.
    let module = |name: &str| modules.iter().find(|m| m["name"] == name).unwrap();
    let users_routes = module("users")["rest_routes"]
        .as_array()
        .expect("users routes");
    assert!(
        users_routes.contains(&serde_json::json!({
            "path": "/v1/users", "method": "POST", "operation_id": "users.create"
        })),
        "{users_routes:?}"
    );
    assert_eq!(
        module("calculator-gateway")["rest_routes"],
        serde_json::json!([{ "path": "/v1/calc/add", "method": "GET", "operation_id": "calc.add" }])
    );
    let calculator = module("calculator");
    assert_eq!(calculator["placement"], "oop");
    assert_eq!(
        calculator["grpc_services"],
        serde_json::json!(["modkit.examples.calculator.v1.Calculator"])
    );
    assert_eq!(ticker.get("rest_routes"), None);

    // Describing ran no migration: no database file was made.
    let sqlite_files = walk(&scratch.0)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "sqlite"))
        .collect::<Vec<_>>();
    assert!(sqlite_files.is_empty(), "{sqlite_files:?}");

    // Stable: the same output twice.
    let again = demo_host(&scratch.0, &["graph", "--format", "json"], &[]);
    assert_eq!(output.stdout, again.stdout);
}

#[test]
fn graph_json_and_its_logs_show_no_secret_of_the_config() {
    let scratch = Scratch::new();
    let secrets = [(
        "MODKIT__MODULES__USERS__DATABASE__DSN",
        "postgres://app:graph-pw%2F8086@db:5432/users?sslpassword=tok-graph-5150",
    )];
    let output = demo_host(&scratch.0, &["graph", "--format", "json"], &secrets);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let printed = format!("{}{}", stdout(&output), stderr(&output));
    for secret in ["tok-graph-5150", "graph-pw"] {
        assert!(!printed.contains(secret), "`{secret}` shows in {printed}");
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn graph_dot_and_mermaid_draw_the_dependency_edges() {
    let scratch = Scratch::new();
    let dot = stdout(&demo_host(&scratch.0, &["graph"], &[]));
    assert!(dot.starts_with("digraph modules {"), "{dot}");
    assert!(dot.contains("\"ticker\" -> \"audit\";"), "{dot}");
    let mermaid = stdout(&demo_host(
        &scratch.0,
        &["graph", "--format", "mermaid"],
        &[],
    ));
    assert!(mermaid.starts_with("flowchart LR"), "{mermaid}");
    assert!(mermaid.contains("ticker --> audit"), "{mermaid}");
}

#[test]
fn config_prints_the_effective_config_with_secrets_redacted() {
    let scratch = Scratch::new();
    let output = demo_host(
        &scratch.0,
        &["config"],
        &[
            ("MODKIT__MODULES__AUDIT__CONFIG__API_TOKEN", "tok-123"),
            (
                "MODKIT__MODULES__AUDIT__DATABASE__DSN",
                "postgres://app:hunter2@db:5432/audit",
            ),
            ("MODKIT__MODULES__TICKER__CONFIG__INTERVAL_MS", "250"),
            // Written by hand, unencoded: a password holding `/` and `#`, and one in the
            // query string.
            (
                "MODKIT__MODULES__USERS__DATABASE__DSN",
                "postgres://users:pa/ss#w0rd@db/users",
            ),
            (
                "MODKIT__MODULES__TICKER__DATABASE__DSN",
                "postgres://db/ticker?user=t&password=qs-secret-77&sslmode=require",
            ),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for secret in ["tok-123", "hunter2", "pa/ss", "w0rd", "qs-secret-77"] {
        assert!(!text.contains(secret), "`{secret}` shows in {text}");
    }
    let config: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(config["modules"]["audit"]["config"]["api_token"], "***");
    assert_eq!(
        config["modules"]["audit"]["database"]["dsn"],
        "postgres://app:***@db:5432/audit"
    );
    assert_eq!(
        config["modules"]["users"]["database"]["dsn"],
        "postgres://users:***@db/users"
    );
    assert_eq!(
        config["modules"]["ticker"]["database"]["dsn"],
        "postgres://db/ticker?user=t&password=***&sslmode=require"
    );
    assert_eq!(config["modules"]["ticker"]["config"]["interval_ms"], 250);
}

#[test]
fn a_wrong_type_in_the_file_names_file_and_key_and_exits_two() {
    let scratch = Scratch::new();
    let file = scratch.file("host.yaml", "runtime:\n  concurrency: many\n");
    let output = demo_host(
        &scratch.0,
        &["check", "--config", file.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("`runtime.concurrency`"), "{text}");
    assert!(text.contains("host.yaml"), "{text}");
}

#[test]
fn an_unknown_module_is_refused_with_a_suggestion() {
    let scratch = Scratch::new();
    let file = scratch.file("host.yaml", "modules:\n  tikcer:\n    config: {}\n");
    let output = demo_host(
        &scratch.0,
        &["run", "--config", file.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("unknown module `tikcer`"), "{text}");
    assert!(text.contains("did you mean `ticker`"), "{text}");
}

#[test]
fn an_unknown_top_level_key_is_only_a_warning() {
    let scratch = Scratch::new();
    let file = scratch.file("host.yaml", "modulez: {}\n");
    let output = demo_host(
        &scratch.0,
        &["check", "--config", file.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("unknown top-level config key `modulez`"));
}

#[test]
fn an_unreadable_config_file_is_named_and_exits_two() {
    let scratch = Scratch::new();
    let missing = scratch.0.join("nope.yaml");
    let output = demo_host(
        &scratch.0,
        &["check", "--config", missing.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("cannot read config file"), "{text}");
    assert!(text.contains("nope.yaml"), "{text}");
}

#[test]
fn a_bad_module_runtime_override_fails_check() {
    let scratch = Scratch::new();
    let output = demo_host(
        &scratch.0,
        &["check"],
        &[("MODKIT__MODULES__TICKER__RUNTIME__STOP_TIMEOUT", "whenever")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("modules.ticker.runtime.stop_timeout"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_out_of_process_module_need_not_be_linked_but_its_section_is_checked() {
    let scratch = Scratch::new();
    let child = env!("CARGO_BIN_EXE_demo-host");
    let good = scratch.file(
        "oop.yaml",
        &format!(
            "modules:\n  remote-calc:\n    runtime:\n      type: oop\n      execution:\n        binary: {child}\n"
        ),
    );
    let output = demo_host(
        &scratch.0,
        &["check", "--config", good.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let bad = scratch.file(
        "bad-oop.yaml",
        &format!(
            "modules:\n  remote-calc:\n    runtime:\n      type: oop\n      execution:\n        binary: {child}\n      restart:\n        policy: sometimes\n"
        ),
    );
    let output = demo_host(
        &scratch.0,
        &["check", "--config", bad.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("modules.remote-calc.runtime.restart.policy"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn usage_errors_exit_two() {
    let scratch = Scratch::new();
    let output = demo_host(&scratch.0, &["graph", "--format", "svg"], &[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn migrate_applies_the_users_schema_and_starts_nothing() {
    let scratch = Scratch::new();
    let output = demo_host(&scratch.0, &["migrate"], &[("RUST_LOG", "info")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let database = scratch.0.join("db").join("users.sqlite");
    assert!(database.is_file(), "no {}", database.display());
    let log = stderr(&output);
    // Migrations only: no server was started, no child spawned.
    assert!(!log.contains("listening on"), "{log}");
    assert!(!log.contains("child running"), "{log}");
    // Running it again has nothing left to apply, and still succeeds.
    let again = demo_host(&scratch.0, &["migrate"], &[]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
}

/// Every config `run` refuses, `check` refuses too, with the same exit code (2) and a
/// message naming the key; `run` refuses it before any module runs.
#[test]
fn check_and_run_refuse_the_same_bad_configs_naming_the_key() {
    let scratch = Scratch::new();
    let gateway = |config: &str| format!("modules:\n  api-gateway:\n    config:\n{config}");
    let cases = [
        (gateway("      bind_adr: 127.0.0.1:0\n"), "bind_adr"),
        (
            gateway("      bind_addr: 999.1.1.1:80\n"),
            "modules.api-gateway.config.bind_addr",
        ),
        (
            gateway("      request_timeout: 0s\n"),
            "modules.api-gateway.config.request_timeout",
        ),
        (
            gateway("      cors:\n        allowed_origins: ['*']\n        allow_credentials: true\n"),
            "modules.api-gateway.config.cors",
        ),
        (
            "modules:\n  audit:\n    config:\n      capacity: lots\n".to_owned(),
            "modules.audit.config.capacity",
        ),
        (
            "modules:\n  audit:\n    config:\n      capacty: 5\n".to_owned(),
            "capacty",
        ),
        (
            "modules:\n  calculator:\n    runtime:\n      type: oop\n      execution:\n        binary: /no/such/calculator\n".to_owned(),
            "modules.calculator.runtime.execution.binary",
        ),
        ("runtime:\n  stop_timeout: 0\n".to_owned(), "runtime.stop_timeout"),
        (
            "modules:\n  ticker:\n    runtime:\n      stop_timeout: 0s\n".to_owned(),
            "modules.ticker.runtime.stop_timeout",
        ),
    ];
    for (index, (yaml, key)) in cases.iter().enumerate() {
        let file = scratch.file(&format!("bad-{index}.yaml"), yaml);
        for command in ["check", "run"] {
            let output = demo_host(
                &scratch.0,
                &[command, "--config", file.to_str().unwrap()],
                &[],
            );
            let text = stderr(&output);
            assert_eq!(
                output.status.code(),
                Some(2),
                "`{command}` on\n{yaml}\n{text}"
            );
            assert!(
                text.contains(key),
                "`{command}` does not name `{key}`:\n{text}"
            );
            assert!(!stdout(&output).contains("config ok"), "{yaml}");
            assert!(
                !text.contains("listening on"),
                "`{command}` started:\n{text}"
            );
        }
    }
}

#[test]
fn check_reports_every_problem_at_once() {
    let scratch = Scratch::new();
    let file = scratch.file(
        "many.yaml",
        "modules:\n  api-gateway:\n    config:\n      bind_adr: 127.0.0.1:0\n  audit:\n    config:\n      capacity: lots\n  tikcer: {}\n",
    );
    let output = demo_host(
        &scratch.0,
        &["check", "--config", file.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    for expected in [
        "3 problems",
        "bind_adr",
        "modules.audit.config.capacity",
        "`tikcer`",
    ] {
        assert!(text.contains(expected), "`{expected}` missing:\n{text}");
    }
}

#[test]
fn an_invalid_dsn_exits_two_under_every_command() {
    let scratch = Scratch::new();
    for command in ["check", "run", "migrate"] {
        let output = demo_host(
            &scratch.0,
            &[command],
            &[("MODKIT__MODULES__USERS__DATABASE__DSN", "mysql://db/users")],
        );
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "`{command}`:\n{text}");
        assert!(
            text.contains("modules.users.database"),
            "`{command}`:\n{text}"
        );
    }
}

#[test]
fn a_broken_yaml_file_is_named() {
    let scratch = Scratch::new();
    let file = scratch.file("bad.yaml", "modules:\n  users:\n    config: [1, 2\n");
    let output = demo_host(
        &scratch.0,
        &["--config", file.to_str().unwrap(), "check"],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("bad.yaml` is not valid YAML"), "{text}");
}

/// A start-up failure is printed once, each cause once, and a port in use names the key to
/// change.
#[test]
fn a_start_up_failure_is_printed_once() {
    let scratch = Scratch::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = demo_host(
        &scratch.0,
        &["run"],
        &[
            ("MODKIT__MODULES__API_GATEWAY__CONFIG__BIND_ADDR", &addr),
            (
                "MODKIT__MODULES__GRPC_HUB__CONFIG__BIND_ADDR",
                "127.0.0.1:0",
            ),
            ("MODKIT__MODULES__CALCULATOR__RUNTIME__TYPE", "local"),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert_eq!(text.matches(&format!("`{addr}`")).count(), 1, "{text}");
    assert_eq!(text.matches("Address already in use").count(), 1, "{text}");
    assert!(
        text.contains("modules.api-gateway.config.bind_addr"),
        "{text}"
    );
}
