//! The host's `telemetry` section: metrics made before any module runs, for the
//! api-gateway to record into and serve.

use super::{BootstrapError, HostConfig};
use crate::DbOptions;
use crate::client_hub::ClientHub;

/// Checks `telemetry.metrics` (a bad value fails before any module runs, naming its key)
/// and, when metrics are on, puts a fresh [`Metrics`](crate::telemetry::metrics::Metrics)
/// into `client_hub`, reporting the pools of `db` too.
#[cfg(feature = "metrics")]
pub(super) fn start(
    config: &HostConfig,
    client_hub: &ClientHub,
    db: &DbOptions,
) -> Result<(), BootstrapError> {
    use std::sync::Arc;

    use crate::telemetry::metrics::{Metrics, MetricsConfig};

    let metrics = MetricsConfig::from_telemetry(&config.telemetry).map_err(|error| {
        BootstrapError::InvalidConfig {
            issues: vec![error.to_string()],
        }
    })?;
    if metrics.enabled {
        let metrics = Arc::new(Metrics::new(metrics));
        #[cfg(feature = "db")]
        if let DbOptions::Manager(manager) = db {
            metrics.observe_databases(Arc::clone(manager));
        }
        let _ = db;
        client_hub.register::<Metrics>(metrics);
    }
    Ok(())
}

/// Without the `metrics` feature the section is read by nothing.
#[cfg(not(feature = "metrics"))]
pub(super) fn start(
    _config: &HostConfig,
    _client_hub: &ClientHub,
    _db: &DbOptions,
) -> Result<(), BootstrapError> {
    Ok(())
}

/// Checks the section without keeping anything.
pub(super) fn check(config: &HostConfig) -> Result<(), BootstrapError> {
    start(config, &ClientHub::new(), &DbOptions::None)
}

#[cfg(all(test, feature = "metrics"))]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_on_by_default_and_a_bad_key_is_named() {
        let hub = ClientHub::new();
        start(&HostConfig::default(), &hub, &DbOptions::None).unwrap();
        assert!(
            hub.try_get::<crate::telemetry::metrics::Metrics>()
                .is_some()
        );

        let config = HostConfig {
            telemetry: serde_json::json!({ "metrics": { "enabled": false } }),
            ..HostConfig::default()
        };
        let hub = ClientHub::new();
        start(&config, &hub, &DbOptions::None).unwrap();
        assert!(
            hub.try_get::<crate::telemetry::metrics::Metrics>()
                .is_none()
        );

        let config = HostConfig {
            telemetry: serde_json::json!({ "metrics": { "bind_addr": 9464 } }),
            ..HostConfig::default()
        };
        let error = check(&config).unwrap_err().to_string();
        assert!(error.contains("telemetry.metrics.bind_addr"), "{error}");
    }
}
