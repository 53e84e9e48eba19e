use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Starts and ends the child processes of out-of-process modules.
///
/// The runtime calls it in the **oop spawn** phase, once the gRPC hub has bound the
/// endpoint the children register with, and again at shutdown or rollback.
#[async_trait::async_trait]
pub trait OopSpawner: Send + Sync {
    /// Starts module `module`'s child; returns once it is running (and, where the
    /// spawner supports it, registered with the directory at `directory_endpoint`).
    async fn spawn(&self, module: &str, directory_endpoint: &str) -> anyhow::Result<()>;

    /// Ends every child it started, within `grace`.
    async fn stop_all(&self, grace: Duration);
}

/// Which modules run out of process, and what starts them.
#[derive(Clone)]
pub struct OopSpawnOptions {
    /// Names of the modules configured with `runtime.type: oop`.
    pub modules: Vec<String>,
    /// Starts and ends their children.
    pub spawner: Arc<dyn OopSpawner>,
}

impl fmt::Debug for OopSpawnOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OopSpawnOptions")
            .field("modules", &self.modules)
            .finish_non_exhaustive()
    }
}
