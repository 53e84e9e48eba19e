use std::fmt;

use serde::Serialize;

use crate::context::ModuleCtx;

/// What a module's [`check`](HealthCapability::check) found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "reason")]
pub enum Health {
    /// Working.
    Up,
    /// Working, with a problem worth showing (a slow upstream, a fallback in use). Does
    /// not make the host unready.
    Degraded(String),
    /// Not working. While a module required for readiness is down, `/readyz` answers 503
    /// and its gRPC services report `NOT_SERVING`.
    Down(String),
}

impl Health {
    /// `up`, `degraded` or `down`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Degraded(_) => "degraded",
            Self::Down(_) => "down",
        }
    }

    /// The reason given, if any.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Up => None,
            Self::Degraded(reason) | Self::Down(reason) => Some(reason),
        }
    }

    /// Whether it is [`Health::Down`].
    pub fn is_down(&self) -> bool {
        matches!(self, Self::Down(_))
    }
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason() {
            Some(reason) => write!(f, "{}: {reason}", self.as_str()),
            None => f.write_str(self.as_str()),
        }
    }
}

/// A module that can tell whether it works: its database answers, its upstream is
/// reachable, its queue is not backed up.
///
/// # Lifecycle
/// Once start-up has finished, the host calls `check` on every module with the `health`
/// capability right away and then every `runtime.health.interval` (default 10 s), until
/// shutdown begins. A check that has not answered within `runtime.health.timeout`
/// (default 2 s), or that panics, counts as [`Health::Down`]. The last result and its age
/// show in `/healthz`; a module that is down (and required for readiness) makes `/readyz`
/// answer 503.
///
/// # Example
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use modkit::{Health, HealthCapability, Module, ModuleCtx};
///
/// #[derive(Default)]
/// #[modkit::module(name = "feed", capabilities = [health])]
/// struct Feed {
///     connected: AtomicBool,
/// }
///
/// #[modkit::async_trait]
/// impl Module for Feed {
///     async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
///         Ok(())
///     }
/// }
///
/// #[modkit::async_trait]
/// impl HealthCapability for Feed {
///     async fn check(&self, _ctx: &ModuleCtx) -> Health {
///         if self.connected.load(Ordering::Relaxed) {
///             Health::Up
///         } else {
///             Health::Down("not connected to the feed".to_owned())
///         }
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` declares the `health` capability but does not implement `HealthCapability`",
    label = "`health` needs `impl HealthCapability`",
    note = "implement `modkit::HealthCapability` with `async fn check(&self, ctx: &ModuleCtx) -> Health`"
)]
#[async_trait::async_trait]
pub trait HealthCapability: Send + Sync {
    /// Whether the module works right now. Keep it quick: it runs on the host's runtime,
    /// and a check past `runtime.health.timeout` counts as down.
    async fn check(&self, ctx: &ModuleCtx) -> Health;
}
