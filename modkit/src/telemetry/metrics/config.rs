//! The `telemetry.metrics` section.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::MetricsError;

/// The `telemetry.metrics` section of a host's config.
///
/// ```
/// use modkit::telemetry::metrics::MetricsConfig;
///
/// let telemetry = modkit::serde_json::json!({ "metrics": { "bind_addr": "127.0.0.1:9464" } });
/// let config = MetricsConfig::from_telemetry(&telemetry)?;
/// assert!(config.enabled);
/// assert_eq!(config.bind_addr, Some("127.0.0.1:9464".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct MetricsConfig {
    /// Whether the host keeps and serves metrics (default `true`).
    pub enabled: bool,
    /// Where `/metrics` is served: on a listener of its own at this address, or, when
    /// unset (the default), on the api-gateway's router next to `/healthz`.
    pub bind_addr: Option<SocketAddr>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            bind_addr: None,
        }
    }
}

impl MetricsConfig {
    /// The `metrics` key of a host's `telemetry` section; the defaults when either is
    /// absent. A bad value is an error naming its key.
    ///
    /// # Errors
    /// [`MetricsError::Config`] when the section does not read as a [`MetricsConfig`].
    pub fn from_telemetry(telemetry: &Value) -> Result<Self, MetricsError> {
        match telemetry.get("metrics") {
            None | Some(Value::Null) => Ok(Self::default()),
            Some(section) => serde_path_to_error::deserialize(section).map_err(|error| {
                let path = error.path().to_string();
                let key = if path == "." {
                    "telemetry.metrics".to_owned()
                } else {
                    format!("telemetry.metrics.{path}")
                };
                MetricsError::Config {
                    key,
                    reason: error.into_inner().to_string(),
                }
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_absent_section_is_the_defaults() {
        assert_eq!(
            MetricsConfig::from_telemetry(&Value::Null).unwrap(),
            MetricsConfig::default()
        );
        assert_eq!(
            MetricsConfig::from_telemetry(&json!({})).unwrap(),
            MetricsConfig::default()
        );
    }

    #[test]
    fn a_bad_value_names_its_key() {
        let error =
            MetricsConfig::from_telemetry(&json!({ "metrics": { "bind_addr": "nowhere" } }))
                .unwrap_err()
                .to_string();
        assert!(error.contains("`telemetry.metrics.bind_addr`"), "{error}");
        let error = MetricsConfig::from_telemetry(&json!({ "metrics": { "enable": true } }))
            .unwrap_err()
            .to_string();
        assert!(error.contains("`telemetry.metrics.enable`"), "{error}");
        assert!(error.contains("unknown field"), "{error}");
    }
}
