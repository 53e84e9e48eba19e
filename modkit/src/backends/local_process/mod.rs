//! [`LocalProcessBackend`]: out-of-process modules as supervised child processes.

mod child;
mod lines;
#[cfg(feature = "grpc-hub")]
mod liveness;
mod secret_dir;
mod supervisor;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use futures_util::future::join_all;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use self::child::Launcher;
use self::secret_dir::SecretDir;
use self::supervisor::Supervisor;
use crate::config::ConfigProvider;
use crate::oop::protocol::{ChildConfig, ChildSecrets};
use crate::oop::{OopBackend, OopConfigError, OopError, OopRuntimeConfig, OopSpawnRequest};

/// Where one module's child is in its life, as its supervisor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChildState {
    /// Started (`attempt` 1 the first time, one more on each restart), not yet running.
    Starting {
        /// Its process id.
        pid: u32,
        /// How many times the child has been started, this time included.
        attempt: u32,
    },
    /// It printed its ready line: its modules run and it serves gRPC at `endpoint`.
    Running {
        /// Its process id.
        pid: u32,
        /// Where it serves its gRPC services.
        endpoint: String,
        /// How many times the child has been started, this time included.
        attempt: u32,
    },
    /// It crashed; it is started again after `delay`.
    Restarting {
        /// Restarts in a row so far, this one included.
        restarts: u32,
        /// The wait before it.
        delay: Duration,
    },
    /// Supervision gave up on it (restart policy `never`, or the crash-loop limit).
    Failed {
        /// What happened.
        reason: String,
    },
    /// It exited with success and was not restarted.
    Exited,
    /// The host stopped it.
    Stopped,
}

/// Host-wide settings of a [`LocalProcessBackend`].
///
/// ```
/// use std::time::Duration;
/// use modkit::backends::LocalProcessOptions;
///
/// let options = LocalProcessOptions {
///     start_timeout: Duration::from_secs(5),
///     ..LocalProcessOptions::default()
/// };
/// assert_eq!(options.max_line_bytes, 16 * 1024);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalProcessOptions {
    /// How long a child may take from spawn to its ready line, unless its module sets
    /// `runtime.start_timeout` (default 30 s).
    pub start_timeout: Duration,
    /// The longest line of a child's output that is logged whole; the rest of a longer
    /// line is dropped (default 16 KiB).
    pub max_line_bytes: usize,
    /// The host's `directory` section when it is not the host's own directory (`backend:
    /// etcd`): children register there, reading it from their secret file (default
    /// `None`: they register with the host's gRPC hub).
    pub directory: Option<serde_json::Value>,
    /// The host's instance id, which children record as their host in the directory.
    pub host_id: Option<String>,
    /// The `grpc-hub`'s `tls` section (paths only) when it requires client certificates:
    /// children serve TLS with it, require the host's certificate, and present it to the
    /// hub (mutual TLS between the host and its children). Default `None`: cleartext.
    pub tls: Option<serde_json::Value>,
}

impl Default for LocalProcessOptions {
    fn default() -> Self {
        Self {
            start_timeout: Duration::from_secs(30),
            max_line_bytes: 16 * 1024,
            directory: None,
            host_id: None,
            tls: None,
        }
    }
}

/// Runs each out-of-process module as a child process of the host, and supervises it.
///
/// For module `m`, from `modules.m` of the host config (see [`crate::oop`] for the keys):
/// - starts `runtime.execution.binary` with its `args`, `env` and `working_directory`, with
///   an environment cleared of the host's variables but for a few harmless ones, plus
///   `MODKIT_DIRECTORY_ENDPOINT`;
/// - hands it its module's name and `config` section (nothing of other modules), the
///   directory secret and the module's `database` section through a file with mode 0600
///   in a directory with mode 0700 (`MODKIT_SECRET_FILE` names it), never through the
///   environment or the command line, which `/proc/<pid>/environ` and `/proc/<pid>/cmdline`
///   show to other processes of the same user; the directory,
///   `modkit-oop-<host pid>-<uuid>` in the temp dir, goes when the backend is dropped,
///   and the first spawn removes those of hosts that are gone (SIGKILLed);
/// - keeps a pipe to the child's stdin open: if the host dies, even by SIGKILL, the child
///   sees its end and shuts down, so no orphan outlives the host;
/// - logs every line the child prints under the module's name (lines capped at
///   [`max_line_bytes`](LocalProcessOptions::max_line_bytes));
/// - counts the child running once it prints its ready line (which `run_oop` does once its
///   modules run and its services are registered);
/// - restarts it by `runtime.restart` policy with exponential backoff and jitter, up to the
///   crash-loop limit, after which the module is reported failed and the host carries on;
/// - watches the host's directory for the child's instance: a child that hangs keeps its
///   process but stops heartbeating, so the directory expires it; the module is degraded
///   meanwhile, and a child still missing after `runtime.restart.unresponsive_after` is
///   killed (SIGKILL) and restarted like a crashed one;
/// - ends it on shutdown with SIGTERM, then SIGKILL after the grace period.
///
/// ```
/// use std::sync::Arc;
/// use modkit::backends::LocalProcessBackend;
/// use modkit::config::ModulesConfig;
///
/// let modules = Arc::new(ModulesConfig::new(serde_json::json!({
///     "calculator": { "runtime": { "type": "oop", "execution": { "binary": "calculator-oop" } } }
/// })));
/// let backend = LocalProcessBackend::new(modules, "per-host-secret");
/// assert_eq!(backend.pid("calculator"), None); // nothing spawned yet
/// ```
#[derive(Clone)]
pub struct LocalProcessBackend {
    inner: Arc<Inner>,
}

struct Inner {
    config: Arc<dyn ConfigProvider>,
    directory_secret: String,
    options: LocalProcessOptions,
    secret_dir: OnceLock<Arc<SecretDir>>,
    children: Mutex<Children>,
}

#[derive(Default)]
struct Children {
    stopped: bool,
    by_module: HashMap<String, Supervised>,
}

struct Supervised {
    state: watch::Receiver<ChildState>,
    stop: watch::Sender<Option<Duration>>,
    stop_timeout: Option<Duration>,
    task: JoinHandle<()>,
}

impl LocalProcessBackend {
    /// A backend reading modules' sections from `config`, handing children
    /// `directory_secret` (the hub's per-host secret), with default options.
    pub fn new(config: Arc<dyn ConfigProvider>, directory_secret: impl Into<String>) -> Self {
        Self::with_options(config, directory_secret, LocalProcessOptions::default())
    }

    /// [`new`](Self::new) with `options`.
    pub fn with_options(
        config: Arc<dyn ConfigProvider>,
        directory_secret: impl Into<String>,
        options: LocalProcessOptions,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                directory_secret: directory_secret.into(),
                options,
                secret_dir: OnceLock::new(),
                children: Mutex::new(Children::default()),
            }),
        }
    }

    /// Where module `module`'s child is, if it was spawned.
    pub fn state(&self, module: &str) -> Option<ChildState> {
        self.inner
            .lock()
            .by_module
            .get(module)
            .map(|child| child.state.borrow().clone())
    }

    /// The pid of module `module`'s current child, while one is starting or running.
    pub fn pid(&self, module: &str) -> Option<u32> {
        match self.state(module)? {
            ChildState::Starting { pid, .. } | ChildState::Running { pid, .. } => Some(pid),
            _ => None,
        }
    }

    /// Where module `module`'s child serves gRPC, while it runs.
    pub fn endpoint(&self, module: &str) -> Option<String> {
        match self.state(module)? {
            ChildState::Running { endpoint, .. } => Some(endpoint),
            _ => None,
        }
    }

    /// Waits up to `timeout` until module `module`'s child is in a state `accept` takes;
    /// that state, or `None` on timeout or if the module was never spawned.
    pub async fn wait_for(
        &self,
        module: &str,
        timeout: Duration,
        mut accept: impl FnMut(&ChildState) -> bool,
    ) -> Option<ChildState> {
        let mut state = self.inner.lock().by_module.get(module)?.state.clone();
        let reached = tokio::time::timeout(timeout, state.wait_for(|state| accept(state)));
        match reached.await {
            Ok(Ok(state)) => Some(state.clone()),
            _ => None,
        }
    }

    fn launcher(
        &self,
        request: &OopSpawnRequest,
        config: &OopRuntimeConfig,
    ) -> Result<Launcher, OopError> {
        let section = self.inner.config.get_module_config(&request.module);
        let field = |key: &str| section.and_then(|section| section.get(key)).cloned();
        let secrets_json = serde_json::to_string(&ChildSecrets {
            child: ChildConfig {
                module: request.module.clone(),
                config: field("config").unwrap_or_default(),
            },
            directory_secret: self.inner.directory_secret.clone(),
            database: field("database"),
            directory: self.inner.options.directory.clone(),
            host_id: self.inner.options.host_id.clone(),
            tls: self.inner.options.tls.clone(),
        });
        let Ok(secrets_json) = secrets_json else {
            // Serialising a JSON value to a string cannot fail; say so rather than panic.
            return Err(OopError::Refused {
                module: request.module.clone(),
                reason: "its configuration cannot be rendered as JSON",
            });
        };
        let secret_dir = match self.inner.secret_dir.get() {
            Some(dir) => Arc::clone(dir),
            None => {
                let dir = SecretDir::create().map_err(|source| OopError::SecretFile {
                    module: request.module.clone(),
                    path: std::env::temp_dir(),
                    source,
                })?;
                Arc::clone(self.inner.secret_dir.get_or_init(|| Arc::new(dir)))
            }
        };
        Ok(Launcher {
            module: request.module.as_str().into(),
            execution: config.execution.clone(),
            directory_endpoint: request.directory_endpoint.clone(),
            secrets_json,
            secret_dir,
        })
    }

    async fn spawn_child(&self, request: OopSpawnRequest) -> Result<(), OopError> {
        let module = request.module.clone();
        let config =
            OopRuntimeConfig::from_section(&module, self.inner.config.get_module_config(&module))?
                .ok_or_else(|| OopConfigError::NotOop {
                    module: module.clone(),
                })?;
        let launcher = self.launcher(&request, &config)?;
        let (stop, stop_rx) = watch::channel(None);
        let (state_tx, mut state) = watch::channel(ChildState::Stopped);
        {
            let mut children = self.inner.lock();
            let refusal = if children.stopped {
                Some("the backend has already stopped its children")
            } else if children.by_module.contains_key(&module) {
                Some("its child was already spawned")
            } else {
                None
            };
            if let Some(reason) = refusal {
                return Err(OopError::Refused { module, reason });
            }
            let first = launcher.launch()?;
            tracing::info!(module, pid = first.pid, binary = %config.execution.binary.display(), "child spawned");
            state_tx.send_replace(ChildState::Starting {
                pid: first.pid,
                attempt: 1,
            });
            state.mark_unchanged();
            let supervisor = Supervisor {
                launcher,
                restart: config.restart.clone(),
                status: request.status.clone(),
                state: Arc::new(state_tx),
                stop: stop_rx,
                max_line_bytes: self.inner.options.max_line_bytes,
            };
            children.by_module.insert(
                module.clone(),
                Supervised {
                    state: state.clone(),
                    stop,
                    stop_timeout: config.stop_timeout,
                    task: tokio::spawn(supervisor.run(first)),
                },
            );
        }

        let limit = config
            .start_timeout
            .unwrap_or(self.inner.options.start_timeout);
        let settled = tokio::time::timeout(
            limit,
            state.wait_for(|state| {
                !matches!(
                    state,
                    ChildState::Starting { .. } | ChildState::Restarting { .. }
                )
            }),
        )
        .await
        .is_ok();
        // Running, or given up (the module is reported failed; the host carries on).
        if settled {
            return Ok(());
        }
        let supervised = self.inner.lock().by_module.remove(&module);
        if let Some(supervised) = supervised {
            let grace = config.stop_timeout.unwrap_or(Duration::from_secs(5));
            stop_one(supervised, grace).await;
        }
        request.status.failed();
        Err(OopError::NotReady { module, limit })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Children> {
        self.inner.lock()
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, Children> {
        self.children
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

async fn stop_one(supervised: Supervised, grace: Duration) {
    supervised.stop.send_replace(Some(grace));
    let _ = supervised.task.await;
}

#[async_trait::async_trait]
impl OopBackend for LocalProcessBackend {
    async fn spawn(&self, request: OopSpawnRequest) -> anyhow::Result<()> {
        Ok(self.spawn_child(request).await?)
    }

    async fn stop_all(&self, grace: Duration) {
        let children: Vec<(String, Supervised)> = {
            let mut children = self.lock();
            children.stopped = true;
            children.by_module.drain().collect()
        };
        join_all(children.into_iter().map(|(_, supervised)| {
            let grace = supervised.stop_timeout.unwrap_or(grace);
            stop_one(supervised, grace)
        }))
        .await;
    }
}

impl fmt::Debug for LocalProcessBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let children = self.lock();
        let mut modules: Vec<&String> = children.by_module.keys().collect();
        modules.sort();
        f.debug_struct("LocalProcessBackend")
            .field("options", &self.inner.options)
            .field("children", &modules)
            .finish_non_exhaustive()
    }
}
