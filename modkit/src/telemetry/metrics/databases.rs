//! Every module's database pool, read at every scrape, with OpenTelemetry's name:
//! `db_client_connection_count` by `db_client_connection_pool_name` (the module) and
//! `db_client_connection_state` (`used` or `idle`).

use std::sync::Arc;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::gauge::ConstGauge;

use crate::db::DbManager;

/// Reads the pools a [`DbManager`] opened.
#[derive(Debug)]
pub(super) struct PoolsCollector {
    pub(super) manager: Arc<DbManager>,
}

impl Collector for PoolsCollector {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> std::fmt::Result {
        let mut family = encoder.encode_descriptor(
            "db_client_connection_count",
            "Connections of each module's database pool, by state",
            None,
            MetricType::Gauge,
        )?;
        for pool in self.manager.open_pools() {
            let (used, idle) = pool.pool().connections();
            for (state, count) in [("used", used), ("idle", idle)] {
                let labels = [
                    ("db_client_connection_pool_name", pool.module()),
                    ("db_client_connection_state", state),
                ];
                ConstGauge::new(i64::from(count)).encode(family.encode_family(&labels)?)?;
            }
        }
        Ok(())
    }
}
