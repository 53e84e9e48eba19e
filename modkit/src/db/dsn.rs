use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::config::secret_url::{redact_url, secret_ranges};

/// Which database engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// SQLite (`sqlite://path/to/file.sqlite`, `sqlite::memory:`).
    Sqlite,
    /// PostgreSQL (`postgres://user:password@host:port/database`).
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

/// A database URL whose password never shows: [`Display`](fmt::Display), [`Debug`] and
/// [`Serialize`] all print `postgres://user:***@host/db`.
///
/// Only [`expose_secret`](Self::expose_secret) gives the URL as written.
///
/// ```
/// use modkit::db::{Backend, Dsn};
///
/// let dsn: Dsn = "postgres://app:hunter2@db.local:5432/users?sslmode=disable".parse()?;
/// assert_eq!(dsn.backend(), Backend::Postgres);
/// assert_eq!(dsn.to_string(), "postgres://app:***@db.local:5432/users?sslmode=disable");
/// assert!(!format!("{dsn:?}").contains("hunter2"));
///
/// let error = "mysql://root:hunter2@localhost/app".parse::<Dsn>().unwrap_err();
/// assert!(!error.to_string().contains("hunter2"));
/// # Ok::<(), modkit::db::DsnError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Dsn {
    raw: String,
    backend: Backend,
}

/// A string that is not a database URL modkit can use. Its message never contains the
/// string itself, which may hold a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported database URL {reason}; use `sqlite://…` or `postgres://…`")]
pub struct DsnError {
    reason: String,
}

impl Dsn {
    /// Reads `text`: `sqlite:` or `postgres:`/`postgresql:` URLs only.
    pub fn parse(text: &str) -> Result<Self, DsnError> {
        let scheme = text.split_once(':').map(|(scheme, _)| scheme);
        let backend = match scheme.map(str::to_ascii_lowercase).as_deref() {
            Some("sqlite") => Backend::Sqlite,
            Some("postgres" | "postgresql") => Backend::Postgres,
            Some(other) if !other.is_empty() && other.chars().all(is_scheme_char) => {
                return Err(DsnError {
                    reason: format!("scheme `{other}`"),
                });
            }
            _ => {
                return Err(DsnError {
                    reason: "(no scheme)".to_owned(),
                });
            }
        };
        Ok(Self {
            raw: text.to_owned(),
            backend,
        })
    }

    /// The engine the URL names.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL as written, password included: hand it to a driver, never to a log.
    pub fn expose_secret(&self) -> &str {
        &self.raw
    }

    /// `text` with every secret of this URL replaced by `***`: for error messages that a
    /// driver may have built from the URL.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut scrubbed = text.replace(&self.raw, &redact(&self.raw));
        for secret in secrets(&self.raw) {
            if !secret.is_empty() {
                scrubbed = scrubbed.replace(&secret, "***");
            }
        }
        scrubbed
    }
}

fn is_scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
}

/// The URL's secrets (see [`secret_ranges`]), each as written and percent-decoded.
fn secrets(raw: &str) -> Vec<String> {
    secret_ranges(raw)
        .into_iter()
        .map(|(start, end)| &raw[start..end])
        .flat_map(|secret| [secret.to_owned(), percent_decode(secret)])
        .collect()
}

/// `raw` with its password and secret query values replaced by `***`.
fn redact(raw: &str) -> String {
    redact_url(raw).unwrap_or_else(|| raw.to_owned())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|&b| char::from(b).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                i += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

impl FromStr for Dsn {
    type Err = DsnError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for Dsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.raw))
    }
}

impl fmt::Debug for Dsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Dsn").field(&redact(&self.raw)).finish()
    }
}

impl<'de> Deserialize<'de> for Dsn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Dsn::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Writes the redacted URL, so that printing an effective config shows no password.
impl Serialize for Dsn {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&redact(&self.raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_everywhere() {
        let cases = [
            (
                "postgres://u:p%40ss@h:5432/db",
                "postgres://u:***@h:5432/db",
            ),
            ("postgres://u@h/db", "postgres://u@h/db"),
            (
                "postgresql://h/db?user=u&password=s3cret&sslmode=disable",
                "postgresql://h/db?user=u&password=***&sslmode=disable",
            ),
            ("postgres://u:pw@h", "postgres://u:***@h"),
            ("postgres://u:pa/ss#1@h/db", "postgres://u:***@h/db"),
            (
                "postgres://h/db?password=a/b#c&sslmode=require",
                "postgres://h/db?password=***&sslmode=require",
            ),
            (
                "sqlite://data/app.sqlite?mode=rwc",
                "sqlite://data/app.sqlite?mode=rwc",
            ),
            ("sqlite::memory:", "sqlite::memory:"),
        ];
        for (raw, shown) in cases {
            let dsn = Dsn::parse(raw).unwrap();
            assert_eq!(dsn.to_string(), shown);
            assert_eq!(format!("{dsn:?}"), format!("Dsn({shown:?})"));
            assert_eq!(serde_json::to_value(&dsn).unwrap(), shown);
        }
    }

    #[test]
    fn scrub_removes_raw_and_decoded_passwords() {
        let dsn = Dsn::parse("postgres://u:p%40ss@h/db?password=other").unwrap();
        let text = format!("failed: {} / p@ss / p%40ss / other", dsn.expose_secret());
        let scrubbed = dsn.scrub(&text);
        assert!(!scrubbed.contains("p@ss"), "{scrubbed}");
        assert!(!scrubbed.contains("p%40ss"), "{scrubbed}");
        assert!(!scrubbed.contains("other"), "{scrubbed}");
    }

    #[test]
    fn unknown_schemes_are_refused_without_echoing_the_url() {
        let error = Dsn::parse("mysql://root:topsecret@h/db").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unsupported database URL scheme `mysql`; use `sqlite://…` or `postgres://…`"
        );
        assert!(Dsn::parse("topsecret").is_err());
        assert!(Dsn::parse("SQLite://x.db").is_ok());
    }
}
