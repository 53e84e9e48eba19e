//! Outside tools and services a test needs (Chromium, a Python validator, PostgreSQL, ...):
//! found, or the test says in one line that it skips and why.
//!
//! On a developer's machine a missing tool skips its test, so `cargo test --workspace`
//! passes on a fresh clone. `.ci/run` installs every tool and sets [`NO_SKIP_VAR`], which
//! turns any such skip into a failure: CI never skips silently.

use std::path::{Path, PathBuf};

/// Set (to anything but empty or `0`) by `.ci/run`: a test that would skip fails instead.
pub const NO_SKIP_VAR: &str = "MODKIT_TEST_NO_SKIP";

/// Whether skips are failures in this run (see [`NO_SKIP_VAR`]).
pub fn skips_are_failures() -> bool {
    std::env::var(NO_SKIP_VAR).is_ok_and(|value| !value.is_empty() && value != "0")
}

/// Says that `test` skips because of `why`, in one line, and returns `None`; under
/// [`NO_SKIP_VAR`] it panics with the same line instead.
///
/// # Panics
/// When skips are failures.
pub fn skip<T>(test: &str, why: &str) -> Option<T> {
    let line = format!("skipping `{test}`: {why}");
    if skips_are_failures() {
        panic!("{line} ({NO_SKIP_VAR} is set, so a skip is a failure)");
    }
    println!("{line}");
    None
}

/// The path of the program `name` on `PATH`, or `None` after saying that `test` skips
/// (`install` says how to get it).
///
/// # Panics
/// When the program is missing and skips are failures.
pub fn tool(test: &str, name: &str, install: &str) -> Option<PathBuf> {
    match find_on_path(name) {
        Some(path) => Some(path),
        None => skip(test, &format!("`{name}` is not on PATH ({install})")),
    }
}

/// The value of the environment variable `var`, or `None` after saying that `test` skips.
///
/// # Panics
/// When the variable is unset and skips are failures.
pub fn service(test: &str, var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Some(value),
        _ => skip(
            test,
            &format!("{var} is unset (it points the test at {what})"),
        ),
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}
