//! `demo-host diff OLD.json NEW.json`, run as a real process over the demo's own manifest
//! (`graph --format json`) and a copy mutated for each kind of break: exit 1 naming the
//! break; the unchanged copy and a compatible change exit 0; bad input exits 2 naming the
//! file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

/// A scratch directory for one test, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("modkit-diff-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Self(dir)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write scratch file");
        path
    }

    fn json(&self, name: &str, value: &Value) -> PathBuf {
        self.file(name, &serde_json::to_string_pretty(value).unwrap())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `demo-host` with `args` in a clean environment (no `MODKIT__` settings of the
/// developer's), with its home in `home`.
fn demo_host(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_demo-host"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("MODKIT__SERVER__HOME_DIR", home)
        .output()
        .expect("run demo-host")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The demo's manifest, as `graph --format json` prints it.
fn demo_manifest(scratch: &Scratch) -> Value {
    let output = demo_host(&scratch.0, &["graph", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("graph --format json prints JSON")
}

fn diff(scratch: &Scratch, old: &Path, new: &Path, format: &str) -> Output {
    demo_host(
        &scratch.0,
        &[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            format,
        ],
    )
}

/// The module `name` of `manifest`.
fn module<'a>(manifest: &'a mut Value, name: &str) -> &'a mut Value {
    manifest["modules"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("the demo has no module `{name}`"))
}

fn array<'a>(value: &'a mut Value, pointer: &str) -> &'a mut Vec<Value> {
    value
        .pointer_mut(pointer)
        .and_then(Value::as_array_mut)
        .unwrap_or_else(|| panic!("the demo's manifest has no array at `{pointer}`"))
}

fn object<'a>(value: &'a mut Value, pointer: &str) -> &'a mut serde_json::Map<String, Value> {
    value
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("the demo's manifest has no object at `{pointer}`"))
}

/// One kind of break: its name, how to make it, and what the report must say.
type Case = (&'static str, fn(&mut Value), &'static str);

const BREAKS: &[Case] = &[
    (
        "removed route",
        |m| {
            array(module(m, "users"), "/rest_routes")
                .retain(|r| r["operation_id"] != "users.delete");
        },
        "route `DELETE /v1/users/{id}` (`users.delete`) removed",
    ),
    (
        "renamed route",
        |m| {
            for route in array(module(m, "users"), "/rest_routes") {
                if route["operation_id"] == "users.get" {
                    route["path"] = json!("/v1/people/{id}");
                }
            }
        },
        "route `GET /v1/users/{id}` (`users.get`) moved to `GET /v1/people/{id}`",
    ),
    (
        "renamed operation id",
        |m| {
            array(module(m, "calculator-gateway"), "/rest_routes")[0]["operation_id"] =
                json!("calculator.add");
            let operations = object(m, "/operations");
            let add = operations.remove("calc.add").unwrap();
            operations.insert("calculator.add".to_owned(), add);
        },
        "operation id of `GET /v1/calc/add` changed from `calc.add` to `calculator.add`",
    ),
    (
        "new required request field",
        |m| {
            array(m, "/schemas/NewUser/required").push(json!("age"));
            object(m, "/schemas/NewUser/properties")
                .insert("age".to_owned(), json!({ "type": "integer" }));
        },
        "`POST /v1/users` (`users.create`): request body (`application/json`): field `age`: \
         new required field",
    ),
    (
        "new required parameter",
        |m| {
            array(m, "/operations/users.list/parameters").push(json!({
                "name": "tenant", "in": "query", "required": true, "schema": { "type": "string" }
            }));
        },
        "`GET /v1/users` (`users.list`): new required query parameter `tenant`",
    ),
    (
        "removed response field",
        |m| {
            object(m, "/schemas/User/properties").remove("email");
        },
        "`GET /v1/users/{id}` (`users.get`): response 200 (`application/json`): field \
         `email`: removed",
    ),
    (
        "changed type",
        |m| {
            object(m, "/schemas/Sum/properties/result").insert("type".to_owned(), json!("string"));
        },
        "`GET /v1/calc/add` (`calc.add`): response 200 (`application/json`): field `result`: \
         type changed from `integer` to `string`",
    ),
    (
        "removed response status",
        |m| {
            object(m, "/operations/users.create/responses").remove("201");
        },
        "`POST /v1/users` (`users.create`): response 201 removed",
    ),
    (
        "removed gRPC service",
        |m| {
            array(module(m, "calculator"), "/grpc_services").clear();
        },
        "gRPC service `modkit.examples.calculator.v1.Calculator` (module `calculator`) removed",
    ),
    (
        "removed module",
        |m| {
            array(m, "/modules").retain(|m| m["name"] != "ticker");
        },
        "module `ticker` removed",
    ),
    (
        "renamed module",
        |m| {
            module(m, "ticker")["name"] = json!("clock");
        },
        "module `ticker` renamed to `clock`",
    ),
    (
        "changed dependencies",
        |m| {
            array(module(m, "ticker"), "/deps").clear();
        },
        "dependencies of module `ticker` changed: no longer on `audit`",
    ),
    (
        "new cycle",
        |m| {
            array(module(m, "audit"), "/deps").push(json!("ticker"));
        },
        "new dependency cycle: `audit` -> `ticker` -> `audit`",
    ),
    (
        "changed migration",
        |m| {
            array(module(m, "users"), "/migrations")[0]["checksum"] = json!("0".repeat(64));
        },
        "migration 1 (`create users`) of module `users` changed",
    ),
    (
        "removed migration",
        |m| {
            array(module(m, "users"), "/migrations").remove(0);
        },
        "migration 1 (`create users`) of module `users` removed",
    ),
];

#[test]
fn every_kind_of_break_exits_one_naming_it() {
    let scratch = Scratch::new();
    let manifest = demo_manifest(&scratch);
    let old = scratch.json("old.json", &manifest);
    for (index, (name, mutate, expected)) in BREAKS.iter().enumerate() {
        let mut changed = manifest.clone();
        mutate(&mut changed);
        let new = scratch.json(&format!("new-{index}.json"), &changed);
        let output = diff(&scratch, &old, &new, "text");
        let report = text(&output.stdout);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{name}:\n{report}\n{}",
            text(&output.stderr)
        );
        assert!(
            report.contains(expected),
            "{name}: the report does not say `{expected}`:\n{report}"
        );
        assert!(
            text(&output.stderr).contains("breaking change"),
            "{name}: {}",
            text(&output.stderr)
        );
    }
}

#[test]
fn an_unchanged_manifest_and_a_compatible_change_exit_zero() {
    let scratch = Scratch::new();
    let manifest = demo_manifest(&scratch);
    let old = scratch.json("old.json", &manifest);
    let same = scratch.json("same.json", &manifest);
    let output = diff(&scratch, &old, &same, "text");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "no breaking changes\n");

    // A new optional request field and a new route break no client.
    let mut changed = manifest.clone();
    object(&mut changed, "/schemas/NewUser/properties")
        .insert("nickname".to_owned(), json!({ "type": "string" }));
    array(module(&mut changed, "users"), "/rest_routes").push(json!({
        "path": "/v1/users/{id}/avatar", "method": "GET", "operation_id": "users.avatar"
    }));
    let new = scratch.json("compatible.json", &changed);
    let output = diff(&scratch, &old, &new, "text");
    let report = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert!(report.starts_with("no breaking changes\n"), "{report}");
    assert!(
        report.contains("field `nickname`: new optional field"),
        "{report}"
    );
    assert!(
        report.contains("route `GET /v1/users/{id}/avatar` (`users.avatar`) added"),
        "{report}"
    );
}

#[test]
fn the_json_report_lists_breaking_and_compatible_changes_by_kind() {
    let scratch = Scratch::new();
    let manifest = demo_manifest(&scratch);
    let old = scratch.json("old.json", &manifest);
    let mut changed = manifest.clone();
    array(&mut changed, "/modules").retain(|m| m["name"] != "ticker");
    array(module(&mut changed, "calculator"), "/grpc_services").push(json!("extra.v1.Extra"));
    let new = scratch.json("new.json", &changed);
    let output = diff(&scratch, &old, &new, "json");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(
        report["breaking"],
        json!([{ "kind": "module_removed", "message": "module `ticker` removed" }])
    );
    assert_eq!(
        report["compatible"],
        json!([{
            "kind": "grpc_service_added",
            "message": "gRPC service `extra.v1.Extra` (module `calculator`) added"
        }])
    );
}

#[test]
fn bad_input_exits_two_naming_the_file_and_what_is_wrong() {
    let scratch = Scratch::new();
    let manifest = demo_manifest(&scratch);
    let good = scratch.json("good.json", &manifest);
    let cases = [
        (
            scratch.file("garbage.json", "this is not json"),
            "garbage.json` is not a host manifest",
            "not JSON",
        ),
        (
            scratch.json(
                "wrong.json",
                &json!({ "modules": [{ "name": "a", "deps": "b" }] }),
            ),
            "wrong.json` is not a host manifest",
            "`modules[0].deps`",
        ),
        (
            scratch.json("array.json", &json!([1, 2])),
            "array.json` is not a host manifest",
            "the top level is an array, not an object with `modules`",
        ),
        (
            scratch.0.join("missing.json"),
            "cannot read manifest",
            "missing.json",
        ),
    ];
    for (bad, names_it, says) in &cases {
        for (old, new) in [(&good, bad), (bad, &good)] {
            let output = diff(&scratch, old, new, "text");
            let error = text(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{}: {error}", bad.display());
            assert!(error.contains(names_it), "{error}");
            assert!(error.contains(says), "{error}");
            assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
        }
    }
}
