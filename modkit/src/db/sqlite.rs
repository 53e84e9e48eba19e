//! Migrating a module's SQLite database.
//!
//! The history is read in one query; only when something is pending is the history table
//! created and each migration applied in its own `BEGIN IMMEDIATE` transaction (SQLite's
//! write lock), which first checks that no other process applied it meanwhile.

use std::time::{Duration, Instant};
use tracing::Instrument;

use sqlx::pool::PoolConnection;
use sqlx::{Connection, Executor, Sqlite, SqliteConnection, SqlitePool};

use super::error::describe;
use super::plan::{Applied, Declared, read_history, record_applied};
use super::target::{SQLITE_BUSY_TIMEOUT, Target};
use super::{DbError, MigrationTx};
use crate::MigrationStep;

const CREATE_HISTORY: &str = "CREATE TABLE IF NOT EXISTS modkit_migrations (
    module TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (module, version)
)";

const READ_HISTORY: &str =
    "SELECT version, checksum FROM modkit_migrations WHERE module = ?1 ORDER BY version";

const READ_ONE: &str = "SELECT checksum FROM modkit_migrations WHERE module = ?1 AND version = ?2";

const RECORD: &str =
    "INSERT INTO modkit_migrations (module, version, name, checksum) VALUES (?1, ?2, ?3, ?4)";

/// `target`'s history, read in one query on a connection of the module's pool.
pub(crate) async fn history(target: &Target, pool: &SqlitePool) -> Result<Vec<Applied>, DbError> {
    let mut connection = acquire(target, pool).await?;
    match read_history(&mut *connection, READ_HISTORY, &target.module).await {
        Ok(history) => Ok(history),
        Err(error) if is_missing_table(&error) => Ok(Vec::new()),
        Err(error) => Err(target.history_failed(&error)),
    }
}

/// Applies `declared`'s pending migrations; returns the versions it applied.
///
/// `known` is the history if the caller has just read it; each migration is checked again
/// in its own transaction anyway, so a history that another host has since extended is safe.
pub(crate) async fn migrate(
    target: &Target,
    pool: &SqlitePool,
    declared: &Declared<'_>,
    known: Option<Vec<Applied>>,
) -> Result<Vec<i64>, DbError> {
    let history = match known {
        Some(history) => history,
        None => history(target, pool).await?,
    };
    let pending = declared.pending(&history)?;
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let mut connection = acquire(target, pool).await?;
    connection
        .execute(sqlx::raw_sql(CREATE_HISTORY))
        .await
        .map_err(|error| target.history_failed(&error))?;
    let mut applied = Vec::with_capacity(pending.len());
    for at in pending {
        if apply(target, &mut connection, declared, at)
            .instrument(declared.span(at))
            .await?
        {
            applied.push(declared.migrations[at].version);
        }
    }
    Ok(applied)
}

/// A connection of the module's pool.
///
/// Two processes that open a fresh file at once race to switch it to WAL, which takes an
/// exclusive lock that SQLite's busy timeout does not wait for (the loser would deadlock
/// otherwise, so it fails at once with `database is locked`). Once one has switched it the
/// file stays in WAL and opening it takes no such lock, so a connect that found the file
/// busy is tried again, for up to the busy timeout.
async fn acquire(target: &Target, pool: &SqlitePool) -> Result<PoolConnection<Sqlite>, DbError> {
    let deadline = Instant::now() + SQLITE_BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(2);
    loop {
        match pool.acquire().await {
            Ok(connection) => return Ok(connection),
            Err(error) if is_busy(&error) && Instant::now() + pause < deadline => {
                tracing::debug!(module = %target.module, ?pause, "database file busy while opening; trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            Err(error) => return Err(target.connect_failed(&error)),
        }
    }
}

/// `SQLITE_BUSY`, or one of its extended codes.
fn is_busy(error: &sqlx::Error) -> bool {
    const SQLITE_BUSY: i32 = 5;
    matches!(error, sqlx::Error::Database(db)
        if db.code().and_then(|code| code.parse::<i32>().ok()).is_some_and(|code| code & 0xff == SQLITE_BUSY))
}

fn is_missing_table(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.message().contains("no such table"))
}

/// Applies migration `at` in its own immediate transaction, unless another process did;
/// `true` if this call applied it.
async fn apply(
    target: &Target,
    connection: &mut SqliteConnection,
    declared: &Declared<'_>,
    at: usize,
) -> Result<bool, DbError> {
    let migration = declared.migrations[at];
    let checksum = &declared.checksums[at];
    let failed = |reason: String| target.migration_failed(migration, reason);
    let driver = |error: sqlx::Error| failed(target.scrub(&error));

    let mut tx = connection
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(driver)?;
    let recorded: Option<(String,)> = sqlx::query_as(READ_ONE)
        .bind(&target.module)
        .bind(migration.version)
        .fetch_optional(&mut *tx)
        .await
        .map_err(driver)?;
    if let Some((recorded,)) = recorded {
        tx.rollback().await.map_err(driver)?;
        return if &recorded == checksum {
            Ok(false)
        } else {
            Err(DbError::ChecksumMismatch {
                module: target.module.clone(),
                version: migration.version,
                applied: recorded,
                declared: checksum.clone(),
            })
        };
    }
    match &migration.up {
        MigrationStep::Sql(sql) => {
            tx.execute(sqlx::raw_sql(sql)).await.map_err(driver)?;
        }
        MigrationStep::Function(up) => {
            up.call(MigrationTx::sqlite_tx(&target.module, &mut tx))
                .await
                .map_err(|error| failed(target.scrub(&describe(&error))))?;
        }
    }
    record_applied(&mut *tx, RECORD, &target.module, migration, checksum)
        .await
        .map_err(driver)?;
    tx.commit().await.map_err(driver)?;
    Ok(true)
}
