//! The `telemetry.tracing` section, typed.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::TelemetryError;
use crate::config::{ConfigDuration, ConfigTimeout};

/// The `telemetry.tracing` section: whether spans are exported, where, and how many.
///
/// ```
/// use modkit::telemetry::otel::{OtlpProtocol, TracingConfig};
///
/// let telemetry = serde_json::json!({
///     "tracing": { "enabled": true, "otlp": { "protocol": "http" }, "sampler": { "ratio": 0.25 } }
/// });
/// let config = TracingConfig::from_telemetry(&telemetry).unwrap().unwrap();
/// assert_eq!(config.otlp.protocol, OtlpProtocol::Http);
/// assert_eq!(config.otlp.endpoint(), "http://127.0.0.1:4318/v1/traces");
/// assert!(config.sampler.parent_based);
///
/// let wrong = serde_json::json!({ "tracing": { "sampler": { "ratio": 2 } } });
/// let error = TracingConfig::from_telemetry(&wrong).unwrap_err().to_string();
/// assert!(error.contains("telemetry.tracing.sampler.ratio"), "{error}");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct TracingConfig {
    /// Whether spans are exported (default `false`: nothing is installed).
    pub enabled: bool,
    /// The `service.name` resource attribute (default: the binary's file name).
    pub service_name: Option<String>,
    /// Where spans are sent.
    pub otlp: OtlpConfig,
    /// Which traces are kept.
    pub sampler: SamplerConfig,
    /// How long finished spans wait to be sent together (default `5s`; never zero).
    pub export_interval: ConfigTimeout,
}

impl Default for TracingConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            service_name: None,
            otlp: OtlpConfig::default(),
            sampler: SamplerConfig::default(),
            export_interval: Duration::from_secs(5).into(),
        }
    }
}

/// The `telemetry.tracing.otlp` section: the OTLP receiver (a collector, an agent).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct OtlpConfig {
    /// The receiver's URL (default `http://127.0.0.1:4317` for `grpc`,
    /// `http://127.0.0.1:4318/v1/traces` for `http`).
    pub endpoint: Option<String>,
    /// OTLP over gRPC or over HTTP (protobuf bodies).
    pub protocol: OtlpProtocol,
    /// How long one export may take (default `10s`).
    pub timeout: Option<ConfigDuration>,
}

impl OtlpConfig {
    /// The receiver's URL, the protocol's default when none is set.
    pub fn endpoint(&self) -> &str {
        match (&self.endpoint, self.protocol) {
            (Some(endpoint), _) => endpoint,
            (None, OtlpProtocol::Grpc) => "http://127.0.0.1:4317",
            (None, OtlpProtocol::Http) => "http://127.0.0.1:4318/v1/traces",
        }
    }

    /// How long one export may take.
    pub fn timeout(&self) -> Duration {
        self.timeout.map_or(Duration::from_secs(10), Duration::from)
    }
}

/// How spans travel to the receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OtlpProtocol {
    /// OTLP/gRPC (port 4317 by convention).
    #[default]
    Grpc,
    /// OTLP/HTTP with protobuf bodies (port 4318 by convention).
    Http,
}

/// The `telemetry.tracing.sampler` section.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SamplerConfig {
    /// The share of new traces kept, from `0` (none) to `1` (all, the default).
    pub ratio: f64,
    /// Whether a span with a parent (a request's `traceparent`) follows its parent's
    /// decision instead (default `true`).
    pub parent_based: bool,
}

impl Default for SamplerConfig {
    fn default() -> Self {
        Self {
            ratio: 1.0,
            parent_based: true,
        }
    }
}

impl TracingConfig {
    /// The `tracing` section of `telemetry` (the host's `telemetry` section), or `None`
    /// when there is none. The error names the key that is wrong.
    pub fn from_telemetry(telemetry: &Value) -> Result<Option<Self>, TelemetryError> {
        let Some(section) = telemetry.get("tracing") else {
            return Ok(None);
        };
        let config: Self = serde_path_to_error::deserialize(section).map_err(|error| {
            TelemetryError::InvalidConfig {
                key: format!("telemetry.tracing.{}", error.path()),
                reason: error.into_inner().to_string(),
            }
        })?;
        config.check()?;
        Ok(Some(config))
    }

    /// The section of a host whose `telemetry` is `telemetry`, when it turns tracing on.
    pub fn enabled_in(telemetry: &Value) -> Result<Option<Self>, TelemetryError> {
        Ok(Self::from_telemetry(telemetry)?.filter(|config| config.enabled))
    }

    fn check(&self) -> Result<(), TelemetryError> {
        let invalid = |key: &str, reason: String| TelemetryError::InvalidConfig {
            key: format!("telemetry.tracing.{key}"),
            reason,
        };
        if !(0.0..=1.0).contains(&self.sampler.ratio) {
            return Err(invalid(
                "sampler.ratio",
                format!("{} is not between 0 and 1", self.sampler.ratio),
            ));
        }
        let endpoint = self.otlp.endpoint();
        if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
            return Err(invalid(
                "otlp.endpoint",
                format!("`{endpoint}` is not an http:// or https:// URL"),
            ));
        }
        if matches!(&self.service_name, Some(name) if name.trim().is_empty()) {
            return Err(invalid("service_name", "is empty".to_owned()));
        }
        Ok(())
    }

    /// The `service.name` to report: the configured one, else the running binary's name.
    pub fn service_name(&self) -> String {
        if let Some(name) = &self.service_name {
            return name.clone();
        }
        std::env::current_exe()
            .ok()
            .and_then(|path| {
                path.file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "modkit".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn no_section_is_no_tracing_and_defaults_are_off() {
        assert_eq!(TracingConfig::from_telemetry(&json!({})).unwrap(), None);
        let config = TracingConfig::from_telemetry(&json!({ "tracing": {} }))
            .unwrap()
            .unwrap();
        assert!(!config.enabled);
        assert_eq!(
            TracingConfig::enabled_in(&json!({ "tracing": {} })).unwrap(),
            None
        );
        assert_eq!(config.otlp.endpoint(), "http://127.0.0.1:4317");
        assert_eq!(config.sampler, SamplerConfig::default());
        assert_eq!(
            Duration::from(config.export_interval),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn bad_keys_are_named() {
        let named = |telemetry: serde_json::Value| {
            TracingConfig::from_telemetry(&telemetry)
                .unwrap_err()
                .to_string()
        };
        let error = named(json!({ "tracing": { "otlp": { "protocol": "udp" } } }));
        assert!(error.contains("telemetry.tracing.otlp.protocol"), "{error}");
        let error = named(json!({ "tracing": { "sampler": { "ratio": -0.5 } } }));
        assert!(error.contains("telemetry.tracing.sampler.ratio"), "{error}");
        let error = named(json!({ "tracing": { "otlp": { "endpoint": "collector:4317" } } }));
        assert!(error.contains("telemetry.tracing.otlp.endpoint"), "{error}");
        let error = named(json!({ "tracing": { "sampling": 1 } }));
        assert!(error.contains("sampling"), "{error}");
        let error = named(json!({ "tracing": { "export_interval": 0 } }));
        assert!(
            error.contains("telemetry.tracing.export_interval"),
            "{error}"
        );
    }
}
