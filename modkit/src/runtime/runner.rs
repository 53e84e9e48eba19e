//! [`run`]: a whole host in one call, for programs that build their own `main` instead of
//! using `run_server` (as cf-modkit's `modkit::runtime::run` does).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::{DbOptions, HostRuntime, OopSpawnOptions, RuntimeOptions};
use crate::client_hub::ClientHub;
use crate::config::ConfigProvider;
use crate::registry::{ModuleRegistry, RegistryError};

/// When a host started by [`run`] stops.
pub enum ShutdownOptions {
    /// On the first SIGINT or SIGTERM (a second one exits the process at once).
    #[cfg(feature = "bootstrap")]
    Signals,
    /// When this token is cancelled.
    Token(CancellationToken),
    /// When this future completes.
    Future(Pin<Box<dyn Future<Output = ()> + Send>>),
}

impl fmt::Debug for ShutdownOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(feature = "bootstrap")]
            Self::Signals => f.write_str("Signals"),
            Self::Token(token) => f.debug_tuple("Token").field(token).finish(),
            Self::Future(_) => f.write_str("Future(..)"),
        }
    }
}

/// What [`run`] needs: the modules' config sections and, through the builder methods, the
/// rest (each defaults to "none").
#[non_exhaustive]
pub struct RunOptions {
    /// Each module's `modules.<name>` section.
    pub modules_cfg: Arc<dyn ConfigProvider>,
    /// Where modules' databases come from (default: none).
    pub db: DbOptions,
    /// When the host stops (default: a token nobody holds, so only a failed start-up ends
    /// the host; set one).
    pub shutdown: ShutdownOptions,
    /// The ClientHub modules share; register clients into it before calling [`run`] to
    /// hand modules clients made outside the host.
    pub client_hub: Arc<ClientHub>,
    /// This host's instance id (default: a fresh one).
    pub instance_id: Uuid,
    /// Out-of-process modules and the backend that runs them (default: none).
    pub oop: Option<OopSpawnOptions>,
    /// Deadlines and concurrency (default: [`RuntimeOptions::default`]).
    pub runtime: RuntimeOptions,
}

impl fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunOptions")
            .field("db", &self.db)
            .field("shutdown", &self.shutdown)
            .field("instance_id", &self.instance_id)
            .field("oop", &self.oop)
            .field("runtime", &self.runtime)
            .finish_non_exhaustive()
    }
}

impl RunOptions {
    /// Options for a host reading its modules' sections from `modules_cfg`.
    pub fn new(modules_cfg: Arc<dyn ConfigProvider>) -> Self {
        Self {
            modules_cfg,
            db: DbOptions::None,
            shutdown: ShutdownOptions::Token(CancellationToken::new()),
            client_hub: Arc::new(ClientHub::new()),
            instance_id: Uuid::new_v4(),
            oop: None,
            runtime: RuntimeOptions::default(),
        }
    }

    /// Where modules' databases come from.
    pub fn with_db(mut self, db: DbOptions) -> Self {
        self.db = db;
        self
    }

    /// When the host stops.
    pub fn with_shutdown(mut self, shutdown: ShutdownOptions) -> Self {
        self.shutdown = shutdown;
        self
    }

    /// The ClientHub modules share.
    pub fn with_client_hub(mut self, client_hub: Arc<ClientHub>) -> Self {
        self.client_hub = client_hub;
        self
    }

    /// This host's instance id.
    pub fn with_instance_id(mut self, instance_id: Uuid) -> Self {
        self.instance_id = instance_id;
        self
    }

    /// Out-of-process modules and their backend.
    pub fn with_oop(mut self, oop: OopSpawnOptions) -> Self {
        self.oop = Some(oop);
        self
    }

    /// Deadlines and concurrency.
    pub fn with_runtime(mut self, runtime: RuntimeOptions) -> Self {
        self.runtime = runtime;
        self
    }
}

/// Discovers every linked module, runs them through every start-up phase, waits for
/// `options.shutdown`, then stops them; returns once they have stopped.
///
/// ```no_run
/// use std::sync::Arc;
/// use modkit::config::ModulesConfig;
/// use modkit::runtime::{RunOptions, ShutdownOptions, run};
///
/// #[tokio::main]
/// async fn main() -> Result<(), modkit::RegistryError> {
///     let config = ModulesConfig::new(serde_json::json!({
///         "api-gateway": { "config": { "bind_addr": "127.0.0.1:8080" } },
///     }));
///     let options = RunOptions::new(Arc::new(config)).with_shutdown(ShutdownOptions::Signals);
///     run(options).await
/// }
/// ```
pub async fn run(options: RunOptions) -> Result<(), RegistryError> {
    let registry = ModuleRegistry::discover_and_build()?;
    let RunOptions {
        modules_cfg,
        db,
        shutdown,
        client_hub,
        instance_id,
        oop,
        runtime,
    } = options;
    let cancel = CancellationToken::new();
    let _cancel_on_drop = cancel.clone().drop_guard();
    match shutdown {
        #[cfg(feature = "bootstrap")]
        ShutdownOptions::Signals => {
            tokio::spawn(crate::bootstrap::cancel_on_signal(cancel.clone()));
        }
        ShutdownOptions::Token(token) => {
            let cancel = cancel.clone();
            tokio::spawn(async move {
                tokio::select! {
                    () = token.cancelled() => cancel.cancel(),
                    () = cancel.cancelled() => {}
                }
            });
        }
        ShutdownOptions::Future(future) => {
            let cancel = cancel.clone();
            tokio::spawn(async move {
                tokio::select! {
                    () = future => cancel.cancel(),
                    () = cancel.cancelled() => {}
                }
            });
        }
    }
    HostRuntime::new(
        registry,
        modules_cfg,
        db,
        client_hub,
        cancel,
        instance_id,
        oop,
    )
    .with_options(runtime)
    .run_module_phases()
    .await
}
