//! Modules' databases: one pool per module, and per-module migrations.
//!
//! A module with the `db` capability declares its schema history as [`Migration`]s
//! ([`DatabaseCapability`]). In the **db** phase (system modules first) the runtime's
//! [`DbManager`] opens the module's pool from `modules.<name>.database` (an embedded SQLite
//! file `<server.home_dir>/db/<name>.sqlite` when there is none) and applies the pending
//! migrations in version order, each in its own transaction together with its history row
//! in the database's `modkit_migrations` table (module, version, name, checksum,
//! applied_at). A module only ever reads its own rows, so two modules may share version
//! numbers and a database.
//!
//! Start-up stops, naming the module and the version, when an applied migration changed
//! (its [checksum](crate::Migration::checksum) differs), when a version is pending below an
//! applied one, or when a migration fails (its transaction is rolled back, the ones before
//! it stay applied). Two hosts that start at once apply each migration exactly once: on
//! PostgreSQL through an advisory lock per module, on SQLite through `BEGIN IMMEDIATE`.
//!
//! SQLite comes with the `db` feature; PostgreSQL needs the `postgres` feature too (in
//! modkit's defaults). Without it, a `postgres://` DSN fails `check` and start-up naming
//! the config key and the feature.
//!
//! In `init`, the module takes its pool with [`ModuleCtx::db_required`]; it never sees
//! the connection migrations ran on. Passwords in URLs ([`Dsn`]) never appear in logs or
//! errors.
//!
//! ```yaml
//! server:
//!   home_dir: /var/lib/my-service
//! database:
//!   servers:
//!     main: { dsn: "postgres://app:secret@db.internal:5432/app" }
//! modules:
//!   users:
//!     database: { server: main, schema: users }
//!   audit: {}            # no `database`: /var/lib/my-service/db/audit.sqlite
//! ```
//!
//! [`Migration`]: crate::Migration
//! [`DatabaseCapability`]: crate::DatabaseCapability
//! [`ModuleCtx::db_required`]: crate::ModuleCtx::db_required

mod capability;
mod dsn;
mod error;
mod manager;
mod module_ctx;
mod phase;
mod plan;
#[cfg(feature = "postgres")]
mod postgres;
mod provider;
mod settings;
mod sqlite;
mod target;
mod tx;

pub use dsn::{Backend, Dsn, DsnError};
pub use error::DbError;
pub use manager::DbManager;
pub use provider::{DbPool, DbProvider};
pub use settings::{DbSettings, ModuleDbSettings, PoolSettings, ServerSettings};
pub use tx::MigrationTx;

pub(crate) use phase::DbPhase;

pub use capability::{DatabaseCapability, Migration, MigrationFn, MigrationFuture, MigrationStep};

/// The sqlx this crate was built with, so that modules query with the same version.
pub use sqlx;
