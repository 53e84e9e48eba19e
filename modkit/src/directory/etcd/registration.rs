//! Registering an instance: its key under a lease, kept alive until it is closed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use etcd_client::{Compare, CompareOp, PutOptions, Txn, TxnOp, TxnOpResponse};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::record::instance_key;
use super::{EtcdDirectory, EtcdError, InstanceRecord};
use crate::directory::InstanceInfo;

/// The first pause after a failed keep-alive or registration; doubled on each failure in
/// a row, up to a third of the lease.
const RETRY_MIN: Duration = Duration::from_millis(100);

/// How long closing a registration may take (deleting its key, revoking its lease).
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// One instance registered in etcd, kept alive by a task of its own: its lease is renewed
/// at a third of its time to live; a lost lease (etcd forgot it while unreachable) is
/// replaced and the key written again, with backoff, for as long as the registration is
/// open. [`close`](Self::close) deletes the key and revokes the lease; dropping it without
/// closing stops the renewals, and etcd deletes the key when the lease runs out.
#[derive(Debug)]
pub struct EtcdRegistration {
    key: String,
    current: Arc<AtomicBool>,
    stop: CancellationToken,
    keeper: Option<JoinHandle<i64>>,
    directory: EtcdDirectory,
}

impl EtcdDirectory {
    /// Registers `instance` (run by host `host_id`) under a lease of `directory.ttl` and
    /// keeps it registered until the returned registration is closed. Fails if etcd does
    /// not answer, or if another live process holds the instance's key.
    pub async fn register(
        &self,
        instance: &InstanceInfo,
        host_id: &str,
    ) -> Result<EtcdRegistration, EtcdError> {
        let key = instance_key(
            self.config.prefix(),
            &instance.module,
            &instance.instance_id,
        );
        let record = InstanceRecord {
            services: instance.services.clone(),
            endpoint: instance.endpoint.clone(),
            host_id: host_id.to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            started_at_ms: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |since| {
                    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
                }),
        };
        let value = serde_json::to_vec(&record).unwrap_or_default();
        let lease = self.create(instance, &key, &value).await?;
        tracing::info!(%key, endpoint = %instance.endpoint, ttl = ?self.config.ttl(), "instance registered in etcd");
        let current = Arc::new(AtomicBool::new(true));
        let stop = CancellationToken::new();
        let keeper = tokio::spawn({
            let (directory, instance, current, stop) = (
                self.clone(),
                instance.clone(),
                Arc::clone(&current),
                stop.clone(),
            );
            let key = key.clone();
            async move {
                directory
                    .keep_alive(&instance, &key, &value, lease, &current, &stop)
                    .await
            }
        });
        Ok(EtcdRegistration {
            key,
            current,
            stop,
            keeper: Some(keeper),
            directory: self.clone(),
        })
    }

    /// Grants a lease and writes the key under it, unless another process holds the key.
    async fn create(
        &self,
        instance: &InstanceInfo,
        key: &str,
        value: &[u8],
    ) -> Result<i64, EtcdError> {
        let ttl = i64::try_from(self.config.ttl().as_secs().max(1)).unwrap_or(i64::MAX);
        let mut client = self.client.clone();
        let lease = self
            .call("lease grant", client.lease_grant(ttl, None))
            .await?
            .id();
        let put = || TxnOp::put(key, value, Some(PutOptions::new().with_lease(lease)));
        let create = Txn::new()
            .when([Compare::create_revision(key, CompareOp::Equal, 0)])
            .and_then([put()])
            .or_else([TxnOp::get(key, None)]);
        let answer = self.call("put", client.txn(create)).await?;
        if answer.succeeded() {
            return Ok(lease);
        }
        let held = answer
            .op_responses()
            .into_iter()
            .find_map(|response| match response {
                TxnOpResponse::Get(get) => get.kvs().first().map(|kv| kv.value().to_vec()),
                _ => None,
            });
        if held.as_deref() == Some(value) {
            // This very registration wrote it (a reply lost on the way): take it over.
            self.call("put", client.txn(Txn::new().and_then([put()])))
                .await?;
            return Ok(lease);
        }
        let _ = self.call("lease revoke", client.lease_revoke(lease)).await;
        let endpoint = held
            .and_then(|held| serde_json::from_slice::<InstanceRecord>(&held).ok())
            .map_or_else(|| "unknown".to_owned(), |record| record.endpoint);
        Err(EtcdError::DuplicateInstance {
            module: instance.module.clone(),
            instance_id: instance.instance_id.clone(),
            key: key.to_owned(),
            endpoint,
        })
    }

    /// Renews `lease` until `stop` fires, registering again when it was lost; returns the
    /// lease in force at the end.
    async fn keep_alive(
        &self,
        instance: &InstanceInfo,
        key: &str,
        value: &[u8],
        mut lease: i64,
        current: &AtomicBool,
        stop: &CancellationToken,
    ) -> i64 {
        let period = (self.config.ttl() / 3).max(RETRY_MIN);
        let mut wait = period;
        let mut backoff: Option<Duration> = None;
        loop {
            tokio::select! {
                () = stop.cancelled() => return lease,
                () = tokio::time::sleep(wait) => {}
            }
            let mut client = self.client.clone();
            let renewed = match self
                .call("lease keep-alive", client.lease_keep_alive(lease))
                .await
            {
                Ok(_) => Ok(()),
                Err(EtcdError::Call {
                    source: etcd_client::Error::LeaseKeepAliveError(_),
                    ..
                }) => {
                    tracing::warn!(%key, "the instance's lease ran out; registering again");
                    self.create(instance, key, value)
                        .await
                        .map(|renewed| lease = renewed)
                }
                Err(error) => Err(error),
            };
            match renewed {
                Ok(()) => {
                    if !current.swap(true, Ordering::AcqRel) {
                        tracing::info!(%key, "instance registered in etcd again");
                    }
                    wait = period;
                }
                Err(error) => {
                    if current.swap(false, Ordering::AcqRel) {
                        tracing::warn!(%key, %error, "cannot renew the instance's registration; retrying");
                    }
                    let next = backoff.map_or(RETRY_MIN, |last| (last * 2).min(period));
                    backoff = Some(next);
                    wait = next;
                    continue;
                }
            }
            backoff = None;
        }
    }
}

impl EtcdRegistration {
    /// The instance's key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Whether the last renewal succeeded: the key is in etcd, as far as this process knows.
    pub fn is_current(&self) -> bool {
        self.current.load(Ordering::Acquire)
    }

    /// Stops the renewals, deletes the key and revokes the lease (within two seconds; a
    /// key left behind goes when its lease runs out).
    pub async fn close(mut self) {
        self.stop.cancel();
        let Some(keeper) = self.keeper.take() else {
            return;
        };
        let Ok(lease) = keeper.await else { return };
        let directory = self.directory.clone();
        let key = self.key.clone();
        let closing = async move {
            let mut client = directory.client.clone();
            client.delete(key.as_bytes(), None).await?;
            client.lease_revoke(lease).await?;
            Ok::<_, etcd_client::Error>(())
        };
        match tokio::time::timeout(CLOSE_TIMEOUT, closing).await {
            Ok(Ok(())) => tracing::info!(key = %self.key, "instance deregistered from etcd"),
            Ok(Err(error)) => {
                tracing::warn!(key = %self.key, %error, "cannot deregister from etcd; the key goes when its lease runs out");
            }
            Err(_) => {
                tracing::warn!(key = %self.key, "deregistering from etcd timed out; the key goes when its lease runs out");
            }
        }
    }
}

impl Drop for EtcdRegistration {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}
