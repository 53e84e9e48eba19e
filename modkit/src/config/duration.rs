use std::time::Duration;

/// A duration in the config was not a whole number with a unit, or was too long.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct DurationParseError(#[from] modkit_rules::DurationError);

/// Parses `500ms`, `30s`, `5m` or `1h` (spaces around the number and the unit are allowed),
/// by the same rule as `stop_timeout = ".."` in `#[modkit::lifecycle]`.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(modkit::config::parse_duration("1500ms")?, Duration::from_millis(1500));
/// assert_eq!(modkit::config::parse_duration("2m")?, Duration::from_secs(120));
/// assert!(modkit::config::parse_duration("2 fortnights").is_err());
/// # Ok::<(), modkit::config::DurationParseError>(())
/// ```
pub fn parse_duration(input: &str) -> Result<Duration, DurationParseError> {
    Ok(Duration::from_millis(modkit_rules::parse_millis(input)?))
}

/// A duration in a config file: `"30s"`, `"500ms"`, `"5m"`, `"1h"`, or a whole number of
/// seconds. Written back as text with the largest unit that keeps it exact.
///
/// ```
/// use std::time::Duration;
/// use modkit::config::ConfigDuration;
///
/// let parsed: ConfigDuration = serde_json::from_str("\"2m\"")?;
/// assert_eq!(Duration::from(parsed), Duration::from_secs(120));
/// let seconds: ConfigDuration = serde_json::from_str("15")?;
/// assert_eq!(serde_json::to_string(&seconds)?, "\"15s\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ConfigDuration(pub Duration);

impl From<ConfigDuration> for Duration {
    fn from(value: ConfigDuration) -> Self {
        value.0
    }
}

impl From<Duration> for ConfigDuration {
    fn from(value: Duration) -> Self {
        Self(value)
    }
}

impl std::fmt::Display for ConfigDuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let millis = self.0.as_millis();
        let units = [(3_600_000, "h"), (60_000, "m"), (1_000, "s")];
        for (per_unit, unit) in units {
            if millis != 0 && millis % per_unit == 0 {
                return write!(f, "{}{unit}", millis / per_unit);
            }
        }
        write!(f, "{millis}ms")
    }
}

impl serde::Serialize for ConfigDuration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for ConfigDuration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ConfigDuration;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a duration such as \"30s\" or a whole number of seconds")
            }

            fn visit_u64<E: serde::de::Error>(self, seconds: u64) -> Result<Self::Value, E> {
                Ok(ConfigDuration(Duration::from_secs(seconds)))
            }

            fn visit_i64<E: serde::de::Error>(self, seconds: i64) -> Result<Self::Value, E> {
                u64::try_from(seconds)
                    .map(|seconds| ConfigDuration(Duration::from_secs(seconds)))
                    .map_err(|_| E::custom(format!("invalid duration `{seconds}`; it is negative")))
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
                parse_duration(text).map(ConfigDuration).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A deadline or timeout in a config file: a [`ConfigDuration`] that is not zero, since a
/// zero deadline makes every wait fail at once. Read and written like a `ConfigDuration`.
///
/// ```
/// use std::time::Duration;
/// use modkit::config::ConfigTimeout;
///
/// let timeout: ConfigTimeout = serde_json::from_str("\"5s\"")?;
/// assert_eq!(Duration::from(timeout), Duration::from_secs(5));
/// let zero = serde_json::from_str::<ConfigTimeout>("\"0s\"").unwrap_err();
/// assert!(zero.to_string().contains("greater than zero"), "{zero}");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConfigTimeout(pub Duration);

impl From<ConfigTimeout> for Duration {
    fn from(value: ConfigTimeout) -> Self {
        value.0
    }
}

impl From<Duration> for ConfigTimeout {
    fn from(value: Duration) -> Self {
        Self(value)
    }
}

impl serde::Serialize for ConfigTimeout {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ConfigDuration(self.0).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for ConfigTimeout {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let ConfigDuration(duration) = ConfigDuration::deserialize(deserializer)?;
        if duration.is_zero() {
            return Err(serde::de::Error::custom(
                "a timeout of zero makes every wait fail at once; use a duration greater than zero, such as `1s`",
            ));
        }
        Ok(Self(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unit() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration(" 30s "), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("5 m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
    }

    #[test]
    fn config_durations_read_text_or_seconds_and_write_text() {
        let read = |json: &str| serde_json::from_str::<ConfigDuration>(json);
        assert_eq!(read("\"250ms\"").unwrap().0, Duration::from_millis(250));
        assert_eq!(read("90").unwrap().0, Duration::from_secs(90));
        assert!(read("-3").unwrap_err().to_string().contains("negative"));
        assert!(read("\"soon\"").unwrap_err().to_string().contains("`soon`"));
        assert_eq!(ConfigDuration(Duration::from_secs(90)).to_string(), "90s");
        assert_eq!(ConfigDuration(Duration::from_secs(7200)).to_string(), "2h");
        assert_eq!(
            ConfigDuration(Duration::from_millis(1500)).to_string(),
            "1500ms"
        );
        assert_eq!(ConfigDuration(Duration::ZERO).to_string(), "0ms");
    }

    #[test]
    fn rejects_what_it_cannot_read_and_names_it() {
        for bad in ["", "30", "s", "-1s", "1.5s", "3d", "99999999999999999999h"] {
            let error = parse_duration(bad).unwrap_err();
            assert!(error.to_string().contains(&format!("`{bad}`")), "{error}");
        }
    }
}
