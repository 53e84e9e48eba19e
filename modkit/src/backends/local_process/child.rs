//! Starting one child process and ending it.

use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::time::Duration;

use rustix::process::{Pid, Signal, kill_process};
use tokio::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command};

use super::secret_dir::SecretDir;
use crate::oop::protocol::{DIRECTORY_ENDPOINT_ENV, LIFELINE_ENV, LIFELINE_STDIN, SECRET_FILE_ENV};
use crate::oop::{Execution, OopError};

/// Host variables a child may see: harmless ones its runtime and logging need. Everything
/// else (other modules' settings, `MODKIT__…` overrides with credentials) stays out.
const INHERITED_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "TMPDIR",
    "RUST_LOG",
    "RUST_BACKTRACE",
    "RUST_LIB_BACKTRACE",
];

/// Everything needed to start (and restart) one module's child.
#[derive(Debug)]
pub(super) struct Launcher {
    pub(super) module: Arc<str>,
    pub(super) execution: Execution,
    pub(super) directory_endpoint: String,
    /// [`ChildSecrets`](crate::oop::protocol::ChildSecrets) as JSON.
    pub(super) secrets_json: String,
    pub(super) secret_dir: Arc<SecretDir>,
}

/// A running child and its pipes.
pub(super) struct Launched {
    pub(super) child: Child,
    pub(super) pid: u32,
    /// Kept open and never written: its end of file tells the child the host is gone.
    pub(super) lifeline: Option<ChildStdin>,
    pub(super) stdout: Option<ChildStdout>,
    pub(super) stderr: Option<ChildStderr>,
    pub(super) secret_file: PathBuf,
}

impl Launcher {
    pub(super) fn launch(&self) -> Result<Launched, OopError> {
        let secret_file = self
            .secret_dir
            .write(&self.module, self.secrets_json.as_bytes())
            .map_err(|source| OopError::SecretFile {
                module: self.module.to_string(),
                path: self.secret_dir.path().to_owned(),
                source,
            })?;
        let mut command = Command::new(self.execution.program());
        command.args(&self.execution.args).env_clear();
        for key in INHERITED_ENV {
            if let Some(value) = std::env::var_os(key) {
                command.env(key, value);
            }
        }
        command
            .envs(&self.execution.env)
            .env(DIRECTORY_ENDPOINT_ENV, &self.directory_endpoint)
            .env(SECRET_FILE_ENV, &secret_file)
            .env(LIFELINE_ENV, LIFELINE_STDIN)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Should the supervisor itself be dropped, the child goes with it.
            .kill_on_drop(true);
        if let Some(directory) = &self.execution.working_directory {
            command.current_dir(directory);
        }
        let mut child = command.spawn().map_err(|source| {
            let _ = std::fs::remove_file(&secret_file);
            OopError::Spawn {
                module: self.module.to_string(),
                binary: self.execution.binary.clone(),
                source,
            }
        })?;
        let pid = child.id().unwrap_or_default();
        Ok(Launched {
            pid,
            lifeline: child.stdin.take(),
            stdout: child.stdout.take(),
            stderr: child.stderr.take(),
            child,
            secret_file,
        })
    }
}

/// Asks the child to stop with SIGTERM; kills it with SIGKILL if it is still running after
/// `grace`. Returns how it ended, if that could be learnt.
pub(super) async fn terminate(
    module: &str,
    child: &mut Child,
    grace: Duration,
) -> Option<ExitStatus> {
    // While the child is not reaped its pid cannot be reused, so the signal reaches it.
    let pid = child
        .id()
        .and_then(|pid| i32::try_from(pid).ok())
        .and_then(Pid::from_raw);
    if let Some(pid) = pid {
        let _ = kill_process(pid, Signal::TERM);
    }
    match tokio::time::timeout(grace, child.wait()).await {
        Ok(status) => status.ok(),
        Err(_) => {
            tracing::warn!(
                module,
                ?grace,
                "child did not stop within its grace period after SIGTERM; sending SIGKILL"
            );
            let _ = child.kill().await;
            child.wait().await.ok()
        }
    }
}
