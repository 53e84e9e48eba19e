//! What a module's health check found: the runtime report keeps it, so it lives in the leaf.

use std::fmt;

use serde::Serialize;

/// What a module's [`check`](crate::HealthCapability::check) found.
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
