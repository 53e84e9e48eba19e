use std::fmt;
use std::sync::Arc;

/// The request metadata key that carries the host's secret to the directory.
pub const HOST_SECRET_METADATA: &str = "modkit-host-secret";

/// The per-host secret that guards the directory: registering, renewing and removing an
/// instance all require it, so no process the host did not start can claim an endpoint.
///
/// The gRPC hub generates one per run; the host hands it to each child it spawns over a
/// private channel (a pipe or a file only the host's user can read). It never appears in
/// logs: `Debug` prints `HostSecret(<redacted>)`.
///
/// ```
/// use modkit::directory::HostSecret;
///
/// let secret = HostSecret::generate();
/// assert_eq!(secret.expose().len(), 64);
/// assert!(secret.matches(secret.expose()));
/// assert!(!secret.matches("guess"));
/// assert_eq!(format!("{secret:?}"), "HostSecret(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct HostSecret(Arc<str>);

impl HostSecret {
    /// A fresh random secret: 64 hex digits (244 random bits, from the OS's generator).
    pub fn generate() -> Self {
        let first = uuid::Uuid::new_v4().simple().to_string();
        let second = uuid::Uuid::new_v4().simple().to_string();
        Self(format!("{first}{second}").into())
    }

    /// A secret received from the host (a child reads it from its pipe or file).
    /// Surrounding whitespace, such as a trailing newline, is dropped.
    pub fn new(value: &str) -> Self {
        Self(value.trim().into())
    }

    /// The secret's text, to hand to a child. Keep it out of logs and command lines.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is this secret, compared in constant time (for equal lengths)
    /// so that response times do not leak how much of a guess was right.
    pub fn matches(&self, candidate: &str) -> bool {
        let expected = self.0.as_bytes();
        let candidate = candidate.as_bytes();
        if expected.is_empty() || expected.len() != candidate.len() {
            return false;
        }
        let difference = expected
            .iter()
            .zip(candidate)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        std::hint::black_box(difference) == 0
    }
}

impl fmt::Debug for HostSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_generated_secrets_differ() {
        assert_ne!(HostSecret::generate(), HostSecret::generate());
    }

    #[test]
    fn only_the_exact_secret_matches() {
        let secret = HostSecret::new("abc123\n");
        assert!(secret.matches("abc123"));
        assert!(!secret.matches("abc124"));
        assert!(!secret.matches("abc12"));
        assert!(!secret.matches(""));
        assert!(
            !HostSecret::new("").matches(""),
            "an empty secret admits nobody"
        );
    }
}
