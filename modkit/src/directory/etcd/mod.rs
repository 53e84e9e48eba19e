//! The directory on etcd (`directory.backend: etcd`, the `etcd` cargo feature).
//!
//! * An instance is one key, `PREFIX/instances/MODULE/INSTANCE_ID`, whose JSON value is an
//!   [`InstanceRecord`], written under an etcd lease of `directory.ttl` and kept alive
//!   while the instance runs; it is deleted at a clean shutdown, and etcd deletes it when
//!   the lease runs out (the process died): no code of ours sweeps.
//! * Every resolving process keeps an [`EtcdView`]: one range read of
//!   `PREFIX/instances/`, then a watch from the next revision. A broken watch resumes from
//!   the last revision seen; a compacted one lists again. Resolving reads memory only.
//! * While etcd cannot be reached the view serves what it knew last and is
//!   [degraded](crate::directory::DirectoryView::degraded); registrations retry.
//! * A value that does not parse is skipped with a warning naming its key.
//!
//! ```no_run
//! use std::sync::Arc;
//! use modkit::directory::{DirectoryConfig, DirectoryView};
//! use modkit::directory::etcd::EtcdDirectory;
//! use modkit::CancellationToken;
//!
//! # async fn run() -> anyhow::Result<()> {
//! let DirectoryConfig::Etcd(config) = DirectoryConfig::from_value(&serde_json::json!({
//!     "backend": "etcd", "endpoints": ["http://127.0.0.1:2379"],
//! }))? else { unreachable!() };
//! let directory = EtcdDirectory::connect(&config).await?;
//! let view = directory.follow(CancellationToken::new()).await?;
//! let calculators = view.resolve("modkit.examples.calculator.v1.Calculator");
//! # let _ = calculators;
//! # Ok(())
//! # }
//! ```

mod connect;
mod error;
mod follow;
mod record;
mod registration;
mod state;
mod view;

pub use connect::EtcdDirectory;
pub use error::EtcdError;
pub use record::InstanceRecord;
pub use registration::EtcdRegistration;
pub use view::EtcdView;
