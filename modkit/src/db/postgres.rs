//! Migrating a module's PostgreSQL database.
//!
//! On a dedicated connection (never one of the module's): the history is read in one
//! query; only when something is pending does the runner take a session advisory lock
//! keyed by (schema, module), create the history table (under a transaction-level lock,
//! so that two hosts never race to create it), read the history again and apply what is
//! still pending, each migration in its own transaction with its history row. A second
//! host starting at the same time waits on the lock, then finds nothing left to apply.
//! Closing the connection releases the lock, on success and on error alike.

use sha2::{Digest, Sha256};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection};
use tracing::Instrument;

use super::error::describe;
use super::plan::{Applied, Declared, read_history, record_applied};
use super::target::Target;
use super::{DbError, MigrationTx};
use crate::MigrationStep;

const CREATE_HISTORY: &str = "CREATE TABLE IF NOT EXISTS modkit_migrations (
    module TEXT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (module, version)
)";

const READ_HISTORY: &str =
    "SELECT version, checksum FROM modkit_migrations WHERE module = $1 ORDER BY version";

const RECORD: &str =
    "INSERT INTO modkit_migrations (module, version, name, checksum) VALUES ($1, $2, $3, $4)";

/// PostgreSQL's `undefined_table`.
const UNDEFINED_TABLE: &str = "42P01";

/// `target`'s history, read in one query on a dedicated connection.
pub(crate) async fn history(
    target: &Target,
    options: &PgConnectOptions,
) -> Result<Vec<Applied>, DbError> {
    let mut connection = connect(target, options).await?;
    let history = read(target, &mut connection).await;
    let _ = connection.close().await;
    history
}

/// Applies `declared`'s pending migrations; returns the versions it applied.
///
/// `known` is the history if the caller has just read it; the history is read again under
/// the lock before anything is applied, so one that another host has since extended is safe.
pub(crate) async fn migrate(
    target: &Target,
    options: &PgConnectOptions,
    schema: Option<&str>,
    declared: &Declared<'_>,
    known: Option<Vec<Applied>>,
) -> Result<Vec<i64>, DbError> {
    if let Some(history) = &known
        && declared.pending(history)?.is_empty()
    {
        return Ok(Vec::new());
    }
    let mut connection = connect(target, options).await?;
    let result = migrate_on(target, &mut connection, schema, declared, known.is_none()).await;
    // Ends the session, which releases the advisory lock even if something failed.
    let _ = connection.close().await;
    result
}

async fn connect(target: &Target, options: &PgConnectOptions) -> Result<PgConnection, DbError> {
    PgConnection::connect_with(options)
        .await
        .map_err(|error| target.connect_failed(&error))
}

async fn read(target: &Target, connection: &mut PgConnection) -> Result<Vec<Applied>, DbError> {
    match read_history(&mut *connection, READ_HISTORY, &target.module).await {
        Ok(history) => Ok(history),
        Err(error) if is_missing_table(&error) => Ok(Vec::new()),
        Err(error) => Err(target.history_failed(&error)),
    }
}

/// Takes the module's advisory lock, then applies what is still pending. With
/// `read_first`, it first reads the history without the lock and stops there when nothing
/// is pending, so that an up-to-date database costs one query and no lock.
async fn migrate_on(
    target: &Target,
    connection: &mut PgConnection,
    schema: Option<&str>,
    declared: &Declared<'_>,
    read_first: bool,
) -> Result<Vec<i64>, DbError> {
    if read_first
        && declared
            .pending(&read(target, connection).await?)?
            .is_empty()
    {
        return Ok(Vec::new());
    }
    let history_error = |error: sqlx::Error| target.history_failed(&error);
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(lock_key(schema, Some(&target.module)))
        .execute(&mut *connection)
        .await
        .map_err(history_error)?;
    create_history(connection, schema)
        .await
        .map_err(history_error)?;
    let history = read(target, connection).await?;
    let pending = declared.pending(&history)?;
    let mut applied = Vec::with_capacity(pending.len());
    for at in pending {
        apply(target, connection, declared, at)
            .instrument(declared.span(at))
            .await?;
        applied.push(declared.migrations[at].version);
    }
    Ok(applied)
}

fn is_missing_table(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.code().as_deref() == Some(UNDEFINED_TABLE))
}

/// Creates the schema (if the module has one) and the history table, serialised with
/// every other host by a transaction-level advisory lock.
async fn create_history(
    connection: &mut PgConnection,
    schema: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut tx = connection.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(lock_key(schema, None))
        .execute(&mut *tx)
        .await?;
    if let Some(schema) = schema {
        // `schema` is a checked plain identifier (see `target::check_identifier`).
        let create = format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"");
        tx.execute(sqlx::raw_sql(&create)).await?;
    }
    tx.execute(sqlx::raw_sql(CREATE_HISTORY)).await?;
    tx.commit().await
}

/// An advisory lock key: the history table's (no module) or one module's migrations.
fn lock_key(schema: Option<&str>, module: Option<&str>) -> i64 {
    let mut hasher = Sha256::new();
    hasher.update(b"modkit_migrations\0");
    hasher.update(schema.unwrap_or("").as_bytes());
    if let Some(module) = module {
        hasher.update(b"\0");
        hasher.update(module.as_bytes());
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

async fn apply(
    target: &Target,
    connection: &mut PgConnection,
    declared: &Declared<'_>,
    at: usize,
) -> Result<(), DbError> {
    let migration = declared.migrations[at];
    let failed = |reason: String| target.migration_failed(migration, reason);
    let driver = |error: sqlx::Error| failed(target.scrub(&error));

    let mut tx = connection.begin().await.map_err(driver)?;
    match &migration.up {
        MigrationStep::Sql(sql) => {
            tx.execute(sqlx::raw_sql(sql)).await.map_err(driver)?;
        }
        MigrationStep::Function(up) => {
            up.call(MigrationTx::postgres_tx(&target.module, &mut tx))
                .await
                .map_err(|error| failed(target.scrub(&describe(&error))))?;
        }
    }
    record_applied(
        &mut *tx,
        RECORD,
        &target.module,
        migration,
        &declared.checksums[at],
    )
    .await
    .map_err(driver)?;
    tx.commit().await.map_err(driver)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_differ_per_module_and_schema() {
        let keys = [
            lock_key(None, None),
            lock_key(None, Some("a")),
            lock_key(None, Some("b")),
            lock_key(Some("s"), Some("a")),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
