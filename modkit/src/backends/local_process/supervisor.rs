//! One module's supervision loop: run the child, forward its output, restart it by policy,
//! end it when asked.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::AsyncRead;
use tokio::sync::watch;

use super::ChildState;
use super::child::{Launched, Launcher, terminate};
use super::lines::CappedLines;
use crate::oop::protocol::parse_ready_line;
use crate::oop::{OopModuleStatus, RestartPolicy, RestartSettings};
use crate::runtime::restart::{jitter_seed, restart_delay};

/// The grace period when the backend is dropped without being stopped.
const ABANDONED_GRACE: Duration = Duration::from_secs(1);

pub(super) struct Supervisor {
    pub(super) launcher: Launcher,
    pub(super) restart: RestartSettings,
    pub(super) status: OopModuleStatus,
    pub(super) state: Arc<watch::Sender<ChildState>>,
    /// `Some(grace)` once the child is to stop.
    pub(super) stop: watch::Receiver<Option<Duration>>,
    pub(super) max_line_bytes: usize,
}

impl Supervisor {
    /// Supervises from the already started `first` child until stopped or given up.
    pub(super) async fn run(mut self, first: Launched) {
        let mut next = Some(first);
        let mut attempt = 0u32;
        let mut crashes = 0u32;
        loop {
            attempt += 1;
            let launched = match next.take() {
                Some(launched) => launched,
                None => match self.launcher.launch() {
                    Ok(launched) => launched,
                    Err(error) => {
                        if self
                            .after_crash(&mut crashes, Duration::ZERO, &error.to_string())
                            .await
                        {
                            continue;
                        }
                        return;
                    }
                },
            };
            let began = Instant::now();
            let Some(exit) = self.run_once(launched, attempt).await else {
                self.state.send_replace(ChildState::Stopped);
                return;
            };
            let how = describe(exit);
            if exit.success() {
                tracing::info!(
                    module = self.module(),
                    "child exited ({how}); not restarted"
                );
                self.status.exited();
                self.state.send_replace(ChildState::Exited);
                return;
            }
            if !self.after_crash(&mut crashes, began.elapsed(), &how).await {
                return;
            }
        }
    }

    /// Runs one child until it exits (its status) or is stopped (`None`).
    async fn run_once(&mut self, launched: Launched, attempt: u32) -> Option<ExitStatus> {
        let Launched {
            mut child,
            pid,
            lifeline,
            stdout,
            stderr,
            secret_file,
        } = launched;
        self.state
            .send_replace(ChildState::Starting { pid, attempt });
        if let Some(stdout) = stdout {
            let ready = ReadyHook {
                state: Arc::clone(&self.state),
                status: self.status.clone(),
                pid,
                attempt,
            };
            tokio::spawn(forward(
                self.launcher.module.clone(),
                "stdout",
                stdout,
                self.max_line_bytes,
                Some(ready),
            ));
        }
        if let Some(stderr) = stderr {
            tokio::spawn(forward(
                self.launcher.module.clone(),
                "stderr",
                stderr,
                self.max_line_bytes,
                None,
            ));
        }
        let unresponsive = self.unresponsive(attempt);
        let exit = tokio::select! {
            status = child.wait() => Some(status),
            grace = stop_requested(&mut self.stop) => {
                let status = terminate(self.module(), &mut child, grace).await;
                tracing::info!(module = self.module(), pid, ended = status.map(describe).as_deref(), "child stopped");
                None
            }
            () = unresponsive => {
                tracing::error!(
                    module = self.module(),
                    pid,
                    after = ?self.restart.unresponsive_after,
                    "child still missing from the directory; killing it with SIGKILL"
                );
                let _ = child.start_kill();
                Some(child.wait().await)
            }
        };
        drop(lifeline);
        // The child deletes it once read; this covers a child that died first.
        let _ = std::fs::remove_file(&secret_file);
        match exit {
            None => None,
            Some(Ok(status)) => Some(status),
            Some(Err(error)) => {
                tracing::error!(module = self.module(), pid, error = %error, "lost track of the child");
                Some(ExitStatus::from_raw(1 << 8))
            }
        }
    }

    /// Resolves once run `attempt` of the child, having registered with the directory, has
    /// been missing from it for `restart.unresponsive_after` (see [`Liveness`]).
    ///
    /// [`Liveness`]: super::liveness::Liveness
    #[cfg(feature = "grpc-hub")]
    fn unresponsive(&self, attempt: u32) -> impl Future<Output = ()> + use<> {
        super::liveness::Liveness {
            module: Arc::clone(&self.launcher.module),
            directory: self.launcher.directory_endpoint.clone(),
            state: self.state.subscribe(),
            attempt,
            status: self.status.clone(),
            after: self.restart.unresponsive_after,
        }
        .missing_too_long()
    }

    /// Without the directory's client, a child is never found missing.
    #[cfg(not(feature = "grpc-hub"))]
    fn unresponsive(&self, _attempt: u32) -> impl Future<Output = ()> + use<> {
        std::future::pending()
    }

    /// After the child ended badly: whether to start it again (after the backoff), or give
    /// up and report the module failed.
    async fn after_crash(&mut self, crashes: &mut u32, ran: Duration, how: &str) -> bool {
        let module = self.module();
        if self.restart.policy == RestartPolicy::Never {
            tracing::error!(
                module,
                "child ended ({how}); restart policy is `never`, so the module is failed"
            );
            return self.give_up(format!("child ended ({how})"));
        }
        if ran >= self.restart.stable_after {
            *crashes = 0;
        }
        *crashes += 1;
        if *crashes > self.restart.max_restarts {
            let limit = self.restart.max_restarts;
            tracing::error!(
                module,
                restarts = limit,
                "child ended ({how}) and keeps crashing; gave up after {limit} restarts in a row, so the module is failed"
            );
            return self.give_up(format!(
                "crash loop: ended ({how}) after {limit} restarts in a row"
            ));
        }
        let delay = restart_delay(&self.restart, *crashes, jitter_seed());
        tracing::warn!(
            module,
            restart = *crashes,
            ?delay,
            "child ended ({how}); restarting"
        );
        self.status.restarting();
        self.state.send_replace(ChildState::Restarting {
            restarts: *crashes,
            delay,
        });
        tokio::select! {
            () = tokio::time::sleep(delay) => true,
            _ = stop_requested(&mut self.stop) => {
                self.state.send_replace(ChildState::Stopped);
                false
            }
        }
    }

    fn give_up(&self, reason: String) -> bool {
        self.status.failed_because(&reason);
        self.state.send_replace(ChildState::Failed { reason });
        false
    }

    fn module(&self) -> &str {
        &self.launcher.module
    }
}

/// Waits until the child is to stop; its grace period.
async fn stop_requested(stop: &mut watch::Receiver<Option<Duration>>) -> Duration {
    match stop.wait_for(Option::is_some).await {
        Ok(grace) => grace.unwrap_or(ABANDONED_GRACE),
        // The backend is gone without stopping its children: end them anyway.
        Err(_) => ABANDONED_GRACE,
    }
}

fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        (None, None) => status.to_string(),
    }
}

/// What the child's ready line on stdout updates.
struct ReadyHook {
    state: Arc<watch::Sender<ChildState>>,
    status: OopModuleStatus,
    pid: u32,
    attempt: u32,
}

/// Logs every line of one of the child's streams under the module's name; on stdout, a
/// ready line marks the child running instead.
async fn forward<R: AsyncRead + Unpin>(
    module: Arc<str>,
    stream: &'static str,
    reader: R,
    max_line_bytes: usize,
    ready: Option<ReadyHook>,
) {
    let mut lines = CappedLines::new(reader, max_line_bytes);
    loop {
        let line = match lines.next_line().await {
            Ok(Some(line)) => line,
            Ok(None) => return,
            Err(error) => {
                tracing::debug!(module = &*module, stream, error = %error, "child output closed");
                return;
            }
        };
        if let (Some(ready), Some(endpoint)) = (&ready, parse_ready_line(&line.text)) {
            tracing::info!(
                module = &*module,
                pid = ready.pid,
                endpoint,
                "child running"
            );
            ready.state.send_replace(ChildState::Running {
                pid: ready.pid,
                endpoint: endpoint.to_owned(),
                attempt: ready.attempt,
            });
            ready.status.running();
            continue;
        }
        tracing::info!(
            target: "modkit::oop::child",
            module = &*module,
            stream,
            truncated = line.truncated,
            "{}",
            line.text
        );
    }
}
