//! `modkit_directory_instances`: each module's live instances in the host's directory,
//! read at every scrape.

use std::fmt;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::gauge::ConstGauge;

type Counts = Box<dyn Fn() -> Vec<(String, usize)> + Send + Sync>;

/// Asks the directory for its instance counts at every scrape.
pub(super) struct InstancesCollector {
    pub(super) counts: Counts,
}

impl Collector for InstancesCollector {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> fmt::Result {
        let mut family = encoder.encode_descriptor(
            "modkit_directory_instances",
            "Live instances of each module in the directory",
            None,
            MetricType::Gauge,
        )?;
        for (module, count) in (self.counts)() {
            let count = i64::try_from(count).unwrap_or(i64::MAX);
            ConstGauge::new(count).encode(family.encode_family(&[("module", module.as_str())])?)?;
        }
        Ok(())
    }
}

impl fmt::Debug for InstancesCollector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstancesCollector").finish_non_exhaustive()
    }
}
