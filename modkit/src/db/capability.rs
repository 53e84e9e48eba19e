use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::db::MigrationTx;

/// One step of a module's schema history.
///
/// Versions are the module's own: two modules may both have a version 1. The db phase
/// applies a module's pending migrations in ascending version order, each in its own
/// transaction together with its history row.
///
/// ```
/// use modkit::Migration;
///
/// let migrations = vec![
///     Migration::sql(1, "create users", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"),
///     Migration::function(2, "seed admin", |mut tx| {
///         Box::pin(async move {
///             tx.execute("INSERT INTO users (name) VALUES ('admin')").await?;
///             anyhow::Ok(())
///         })
///     }),
/// ];
/// assert_ne!(migrations[0].checksum(), migrations[1].checksum());
/// ```
#[derive(Debug, Clone)]
pub struct Migration {
    /// Position in the module's history; applied in ascending order.
    pub version: i64,
    /// A short human name, recorded with the version.
    pub name: Cow<'static, str>,
    /// What the migration does.
    pub up: MigrationStep,
}

/// What a [`Migration`] runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MigrationStep {
    /// SQL statements (one or several, `;`-separated), run in one transaction.
    Sql(Cow<'static, str>),
    /// An async function given the migration's transaction.
    Function(MigrationFn),
}

/// The future a [`MigrationFn`] returns: it may borrow the transaction.
pub type MigrationFuture<'t> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 't>>;

/// A migration written in Rust: called once, with the migration's transaction.
///
/// Build one with [`Migration::function`]. The transaction is committed (with the history
/// row) when the future returns `Ok`, and rolled back when it returns an error or panics.
#[derive(Clone)]
pub struct MigrationFn(Arc<dyn for<'t> Fn(MigrationTx<'t>) -> MigrationFuture<'t> + Send + Sync>);

impl MigrationFn {
    pub(crate) fn call<'t>(&self, tx: MigrationTx<'t>) -> MigrationFuture<'t> {
        (self.0)(tx)
    }
}

impl fmt::Debug for MigrationFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MigrationFn(..)")
    }
}

impl Migration {
    /// A migration that runs `sql` (one or several `;`-separated statements).
    pub fn sql(
        version: i64,
        name: impl Into<Cow<'static, str>>,
        sql: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            version,
            name: name.into(),
            up: MigrationStep::Sql(sql.into()),
        }
    }

    /// A migration that calls `up` with its transaction.
    ///
    /// End the async block with `anyhow::Ok(())` so that `?` knows the error type. The
    /// body of a function cannot be hashed, so its [checksum](Self::checksum) covers its
    /// name only: give the migration a new version rather than changing an applied one.
    pub fn function<F>(version: i64, name: impl Into<Cow<'static, str>>, up: F) -> Self
    where
        F: for<'t> Fn(MigrationTx<'t>) -> MigrationFuture<'t> + Send + Sync + 'static,
    {
        Self {
            version,
            name: name.into(),
            up: MigrationStep::Function(MigrationFn(Arc::new(up))),
        }
    }

    /// What the history records to notice a changed migration: the lowercase hex SHA-256
    /// of the step's kind and content.
    ///
    /// * SQL: `"sql\n"` followed by the SQL text, byte for byte (so whitespace counts).
    /// * Function: `"function\n"` followed by the migration's name.
    ///
    /// The version is not part of it (it is the history's key), nor, for SQL, the name:
    /// renaming an applied SQL migration is allowed, editing its SQL is refused.
    pub fn checksum(&self) -> String {
        let mut hasher = Sha256::new();
        match &self.up {
            MigrationStep::Sql(sql) => {
                hasher.update(b"sql\n");
                hasher.update(sql.as_bytes());
            }
            MigrationStep::Function(_) => {
                hasher.update(b"function\n");
                hasher.update(self.name.as_bytes());
            }
        }
        let digest = hasher.finalize();
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push(char::from(HEX[usize::from(byte >> 4)]));
            hex.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        hex
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A module that keeps data in a database.
///
/// The module's connection comes from `modules.<name>.database` in the host config (a
/// `dsn`, or a `server` named under `database.servers`); with none, it is an embedded
/// SQLite file under the host's home dir. In `init`, [`ModuleCtx::db_required`]
/// hands the module its pool.
///
/// # Lifecycle
/// `migrations` is read in the **db** phase (system modules first), before any `init`;
/// pending migrations are applied in version order.
///
/// ```
/// use modkit::{DatabaseCapability, Migration, Module, ModuleCtx};
///
/// #[derive(Default)]
/// #[modkit::module(name = "notes", capabilities = [db])]
/// pub struct Notes;
///
/// impl DatabaseCapability for Notes {
///     fn migrations(&self) -> Vec<Migration> {
///         vec![Migration::sql(1, "create notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")]
///     }
/// }
///
/// #[modkit::async_trait]
/// impl Module for Notes {
///     async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
///         let pool = ctx.db_required()?.sqlite()?.clone();
///         let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM notes").fetch_one(&pool).await?;
///         tracing::info!(count, "notes ready");
///         Ok(())
///     }
/// }
/// ```
///
/// [`ModuleCtx::db_required`]: crate::ModuleCtx::db_required
#[diagnostic::on_unimplemented(
    message = "`{Self}` declares the `db` capability but does not implement `DatabaseCapability`",
    label = "`db` needs `impl DatabaseCapability`",
    note = "add `impl modkit::DatabaseCapability for {Self} {{ fn migrations(&self) -> Vec<modkit::Migration> {{ vec![modkit::Migration::sql(1, \"create\", \"CREATE TABLE ..\")] }} }}`"
)]
pub trait DatabaseCapability: Send + Sync {
    /// The module's whole schema history, in any order.
    fn migrations(&self) -> Vec<Migration>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_checksums_follow_the_sql_not_the_name() {
        let a = Migration::sql(1, "a", "CREATE TABLE t (x INT)");
        let renamed = Migration::sql(1, "b", "CREATE TABLE t (x INT)");
        let edited = Migration::sql(1, "a", "CREATE TABLE t (x INT) ");
        assert_eq!(a.checksum(), renamed.checksum());
        assert_ne!(a.checksum(), edited.checksum());
        assert_eq!(a.checksum().len(), 64);
    }

    #[test]
    fn function_checksums_follow_the_name() {
        fn up(_tx: MigrationTx<'_>) -> MigrationFuture<'_> {
            Box::pin(async { Ok(()) })
        }
        let a = Migration::function(1, "seed", up);
        let b = Migration::function(1, "seed v2", up);
        assert_ne!(a.checksum(), b.checksum());
        assert_eq!(a.checksum(), Migration::function(7, "seed", up).checksum());
    }
}
