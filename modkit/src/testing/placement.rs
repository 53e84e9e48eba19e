//! Running a module of a [`TestHost`] out of process, and one test body in each placement.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustix::process::{Pid, Signal, kill_process};
use serde_json::{Map, Value, json};

use super::{RunningTestHost, TestHost, TestHostError};
use crate::backends::LocalProcessBackend;
use crate::client_hub::ClientHub;
use crate::config::ConfigProvider;
use crate::directory::HostSecret;
use crate::runtime::OopSpawnOptions;

/// Where a [`TestHost`] runs a module.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Placement {
    /// In the test's process (`runtime.type: local`).
    InProcess,
    /// In a child process started from `binary`, a program that calls
    /// [`run_oop`](crate::bootstrap::run_oop) and links the module (`runtime.type: oop`).
    OutOfProcess {
        /// The child's program.
        binary: PathBuf,
    },
}

impl std::fmt::Display for Placement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InProcess => f.write_str("in process"),
            Self::OutOfProcess { binary } => {
                write!(f, "out of process ({})", binary.display())
            }
        }
    }
}

impl TestHost {
    /// Runs module `module` where `placement` says. Out of process, the host spawns and
    /// supervises its child as a real host does (the module's `runtime` section, such as
    /// `restart` or `call_timeout`, still applies), so the host needs `grpc-hub` among its
    /// modules: the child registers there, and the module's remote client finds it.
    pub fn place(mut self, module: &str, placement: Placement) -> Self {
        self.out_of_process.retain(|(name, _)| name != module);
        if let Placement::OutOfProcess { binary } = placement {
            self.out_of_process.push((module.to_owned(), binary));
        }
        self
    }

    /// Runs `body` twice against hosts made by `make`: once with module `module` in
    /// process, once out of process from `binary`, so that code written against the
    /// module's client trait is checked in both placements. Each host is stopped after its
    /// run; the first failure is returned, naming the placement.
    ///
    /// ```no_run
    /// use modkit::testing::{Placement, TestHost};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), modkit::testing::TestHostError> {
    /// let make = || TestHost::with_modules(["grpc-hub", "calculator", "calculator-gateway"]);
    /// TestHost::each_placement("calculator", "target/debug/calculator-oop", make, async |host, placement| {
    ///     let hub = host.client_hub();
    ///     // ... call the calculator through `hub` and assert, whatever `placement` is.
    ///     # let _ = (hub, placement);
    /// })
    /// .await
    /// # }
    /// ```
    pub async fn each_placement(
        module: &str,
        binary: impl AsRef<Path>,
        make: impl Fn() -> TestHost,
        mut body: impl AsyncFnMut(&RunningTestHost, &Placement),
    ) -> Result<(), TestHostError> {
        let placements = [
            Placement::InProcess,
            Placement::OutOfProcess {
                binary: binary.as_ref().to_owned(),
            },
        ];
        for placement in placements {
            let in_placement = |source| TestHostError::InPlacement {
                module: module.to_owned(),
                placement: placement.to_string(),
                source: Box::new(source),
            };
            let host = make()
                .place(module, placement.clone())
                .start()
                .await
                .map_err(in_placement)?;
            body(&host, &placement).await;
            host.stop().await.map_err(in_placement)?;
        }
        Ok(())
    }
}

/// Sets `modules.<name>.runtime.type: oop` and its binary for each module placed out of
/// process, keeping what else the test configured in the `runtime` section.
pub(super) fn configure(out_of_process: &[(String, PathBuf)], modules: &mut Map<String, Value>) {
    for (module, binary) in out_of_process {
        let section = modules
            .entry(module.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !section.is_object() {
            *section = Value::Object(Map::new());
        }
        let Value::Object(section) = section else {
            continue;
        };
        let runtime = section
            .entry("runtime".to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !runtime.is_object() {
            *runtime = Value::Object(Map::new());
        }
        if let Value::Object(runtime) = runtime {
            runtime.insert("type".to_owned(), json!("oop"));
            runtime.insert(
                "execution".to_owned(),
                json!({ "binary": binary.to_string_lossy() }),
            );
        }
    }
}

/// The spawner for the modules placed out of process, if any: a [`LocalProcessBackend`]
/// handing children the host's secret (the test's, or a fresh one put into `hub`).
pub(super) fn spawner(
    out_of_process: &[(String, PathBuf)],
    config: &Arc<dyn ConfigProvider>,
    hub: &ClientHub,
) -> Option<(OopSpawnOptions, LocalProcessBackend)> {
    if out_of_process.is_empty() {
        return None;
    }
    let secret = match hub.get::<HostSecret>() {
        Ok(secret) => secret,
        Err(_) => {
            let secret = Arc::new(HostSecret::generate());
            hub.register::<HostSecret>(Arc::clone(&secret));
            secret
        }
    };
    let backend = LocalProcessBackend::new(Arc::clone(config), secret.expose());
    let options = OopSpawnOptions {
        modules: out_of_process
            .iter()
            .map(|(name, _)| name.clone())
            .collect(),
        backend: Arc::new(backend.clone()),
    };
    Some((options, backend))
}

impl RunningTestHost {
    /// The pid of module `module`'s current child, while one is starting or running.
    pub fn child_pid(&self, module: &str) -> Option<u32> {
        self.children.as_ref()?.pid(module)
    }

    /// Kills module `module`'s child with SIGKILL, as a crash or the OOM killer would; its
    /// supervisor then does what the module's `restart` policy says.
    pub fn kill_child(&self, module: &str) -> Result<u32, TestHostError> {
        self.signal_child(module, Signal::KILL)
    }

    /// Stops module `module`'s child with SIGSTOP: it stays alive but answers nothing, as a
    /// process stuck in a deadlock or a swapped-out machine would, until
    /// [`resume_child`](Self::resume_child).
    pub fn stall_child(&self, module: &str) -> Result<u32, TestHostError> {
        self.signal_child(module, Signal::STOP)
    }

    /// Lets a child stopped by [`stall_child`](Self::stall_child) run again (SIGCONT).
    pub fn resume_child(&self, module: &str) -> Result<u32, TestHostError> {
        self.signal_child(module, Signal::CONT)
    }

    /// Sends `signal` to module `module`'s current child; its pid.
    fn signal_child(&self, module: &str, signal: Signal) -> Result<u32, TestHostError> {
        let no_child = || TestHostError::NoChild {
            module: module.to_owned(),
        };
        let pid = self.child_pid(module).ok_or_else(no_child)?;
        let target = i32::try_from(pid)
            .ok()
            .and_then(Pid::from_raw)
            .ok_or_else(no_child)?;
        kill_process(target, signal).map_err(|_| no_child())?;
        Ok(pid)
    }
}
