//! [`Secret`]: a config value that never shows.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a secret shows instead of its value.
const REDACTED: &str = "***";

/// A value of a module's typed config that never shows: [`Debug`](fmt::Debug),
/// [`Display`](fmt::Display) and [`Serialize`] all write `***`, so neither logs nor the
/// `config` output nor the JSON manifest hold it. [`expose`](Self::expose) reads it.
///
/// It deserializes from the plain value, so the config file needs no special syntax; a
/// value of the wrong type is refused without quoting it:
///
/// ```
/// use modkit::config::Secret;
///
/// #[derive(Debug, serde::Deserialize, serde::Serialize)]
/// struct PaymentsConfig {
///     endpoint: String,
///     api_key: Secret<String>,
/// }
///
/// let config: PaymentsConfig = serde_json::from_value(serde_json::json!({
///     "endpoint": "https://pay.example",
///     "api_key": "sk-live-4242",
/// }))?;
/// assert_eq!(config.api_key.expose(), "sk-live-4242");
/// assert!(!format!("{config:?}").contains("sk-live"));
/// assert_eq!(config.api_key.to_string(), "***");
/// assert_eq!(serde_json::to_value(&config)?["api_key"], "***");
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// The host's `config` command prints modules' config from the config file, not through
/// the module's type: there a value is hidden when its key names a secret (`password`,
/// `secret`, `token`, `api_key`, in any case, as part of a longer key) or it is a URL
/// with a password. Name secret fields accordingly (`api_key`, `client_secret`), or their
/// values show in `config` even though `Secret` hides them everywhere else.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps `value`.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value itself: hand it to what needs it, never to a log.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// The value itself, unwrapped.
    pub fn into_exposed(self) -> T {
        self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(REDACTED)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The deserializer's own error quotes the value ("invalid type: string \"…\"").
        T::deserialize(deserializer).map(Self).map_err(|_| {
            serde::de::Error::custom(format_args!(
                "invalid secret: not a `{}` (its value is not shown)",
                std::any::type_name::<T>()
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize)]
    struct MailerConfig {
        host: String,
        smtp_login: Secret<String>,
        pin: Secret<u32>,
    }

    #[test]
    fn a_config_struct_reads_its_secrets_and_never_shows_them() {
        let config: MailerConfig = serde_json::from_value(serde_json::json!({
            "host": "smtp.example",
            "smtp_login": "bob:correct-horse",
            "pin": 918273,
        }))
        .unwrap();
        assert_eq!(config.smtp_login.expose(), "bob:correct-horse");
        assert_eq!(*config.pin.expose(), 918_273);

        let debug = format!("{config:?}");
        let json = serde_json::to_string(&config).unwrap();
        for shown in [&debug, &json] {
            assert!(shown.contains("smtp.example"), "{shown}");
            assert!(!shown.contains("correct-horse"), "{shown}");
            assert!(!shown.contains("918273"), "{shown}");
        }
        assert_eq!(format!("{}", config.pin), "***");
    }

    #[test]
    fn a_mistyped_secret_is_refused_by_its_field_without_its_value() {
        let error = serde_json::from_value::<MailerConfig>(serde_json::json!({
            "host": "smtp.example",
            "smtp_login": "x",
            "pin": "not-a-number-4711",
        }))
        .unwrap_err()
        .to_string();
        assert!(error.contains("invalid secret: not a `u32`"), "{error}");
        assert!(!error.contains("4711"), "{error}");
    }
}
