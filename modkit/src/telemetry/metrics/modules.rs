//! Every module's metrics, read from the runtime report at every scrape (the kernel knows
//! nothing of Prometheus): `modkit_module_state` (1 for the state it is in, 0 for the
//! others), `modkit_module_hook_duration_seconds` (each hook it ran), `modkit_module_tasks`
//! (tasks it owns), `modkit_module_restarts_total` (restarts of its child).

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, MetricEncoder};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Unit;

use crate::base::ModuleState;
use crate::runtime::RuntimeReportHandle;

/// Reads the host's runtime report at every scrape.
#[derive(Debug)]
pub(super) struct ModulesCollector {
    pub(super) report: RuntimeReportHandle,
}

impl Collector for ModulesCollector {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> std::fmt::Result {
        let report = self.report.snapshot();
        let modules = &report.modules;

        let mut family = encoder.encode_descriptor(
            "modkit_module_state",
            "Whether the module is in this state (1) or not (0)",
            None,
            MetricType::Gauge,
        )?;
        for module in modules {
            for state in ModuleState::ALL {
                let labels = [("module", module.name.as_str()), ("state", state.as_str())];
                gauge(&mut family, &labels, i64::from(module.state == state))?;
            }
        }

        let mut family = encoder.encode_descriptor(
            "modkit_module_hook_duration",
            "How long the module's hook ran, by phase",
            Some(&Unit::Seconds),
            MetricType::Gauge,
        )?;
        for module in modules {
            for hook in &module.hooks {
                let labels = [
                    ("module", module.name.as_str()),
                    ("hook", hook.phase.as_str()),
                ];
                ConstGauge::new(hook.duration.as_secs_f64())
                    .encode(family.encode_family(&labels)?)?;
            }
        }

        let mut family = encoder.encode_descriptor(
            "modkit_module_tasks",
            "Tasks the module owns that are running",
            None,
            MetricType::Gauge,
        )?;
        for module in modules {
            let count = i64::try_from(module.tasks).unwrap_or(i64::MAX);
            gauge(&mut family, &[("module", module.name.as_str())], count)?;
        }

        let mut family = encoder.encode_descriptor(
            "modkit_module_restarts",
            "Restarts of the module's child process",
            None,
            MetricType::Counter,
        )?;
        for module in modules {
            ConstCounter::new(u64::from(module.restarts))
                .encode(family.encode_family(&[("module", module.name.as_str())])?)?;
        }
        Ok(())
    }
}

fn gauge(family: &mut MetricEncoder<'_>, labels: &[(&str, &str)], value: i64) -> std::fmt::Result {
    ConstGauge::new(value).encode(family.encode_family(&labels)?)
}
