use std::fmt;
use std::sync::Arc;

#[cfg(feature = "postgres")]
use sqlx::PgPool;
use sqlx::SqlitePool;

use super::{Backend, DbError};

/// A module's connection pool, of whichever engine its database is.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum DbPool {
    /// An SQLite database.
    Sqlite(SqlitePool),
    /// A PostgreSQL database (feature `postgres`).
    #[cfg(feature = "postgres")]
    Postgres(PgPool),
}

impl DbPool {
    /// The engine.
    pub fn backend(&self) -> Backend {
        match self {
            DbPool::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            DbPool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Its connections as of now: `(in use, idle)`.
    pub fn connections(&self) -> (u32, u32) {
        let (size, idle) = match self {
            DbPool::Sqlite(pool) => (pool.size(), pool.num_idle()),
            #[cfg(feature = "postgres")]
            DbPool::Postgres(pool) => (pool.size(), pool.num_idle()),
        };
        let idle = u32::try_from(idle).unwrap_or(u32::MAX).min(size);
        (size - idle, idle)
    }
}

/// What a module gets from [`ModuleCtx::db`](crate::ModuleCtx::db): its own pool, opened
/// from its `database` settings after the db phase migrated it.
///
/// The pool is the module's alone (one per module, even when modules share a server).
/// Cheap to clone.
///
/// ```
/// use modkit::db::{Backend, DbProvider};
///
/// async fn count_users(db: &DbProvider) -> anyhow::Result<i64> {
///     let (count,): (i64,) = match db.backend() {
///         Backend::Sqlite => sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(db.sqlite()?).await?,
///         Backend::Postgres => sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(db.postgres()?).await?,
///     };
///     Ok(count)
/// }
/// ```
#[derive(Clone)]
pub struct DbProvider {
    inner: Arc<Inner>,
}

struct Inner {
    module: String,
    target: String,
    pool: DbPool,
}

impl DbProvider {
    pub(crate) fn new(module: &str, target: &str, pool: DbPool) -> Self {
        Self {
            inner: Arc::new(Inner {
                module: module.to_owned(),
                target: target.to_owned(),
                pool,
            }),
        }
    }

    /// The module the pool belongs to.
    pub fn module(&self) -> &str {
        &self.inner.module
    }

    /// Where the database is, with any password shown as `***`.
    pub fn target(&self) -> &str {
        &self.inner.target
    }

    /// The engine.
    pub fn backend(&self) -> Backend {
        self.inner.pool.backend()
    }

    /// The pool, to match on.
    pub fn pool(&self) -> &DbPool {
        &self.inner.pool
    }

    /// The pool, if the database is SQLite; an error naming the module otherwise.
    pub fn sqlite(&self) -> Result<&SqlitePool, DbError> {
        match &self.inner.pool {
            DbPool::Sqlite(pool) => Ok(pool),
            #[cfg(feature = "postgres")]
            other => Err(self.wrong_backend(Backend::Sqlite, other.backend())),
        }
    }

    /// The pool, if the database is PostgreSQL; an error naming the module otherwise
    /// (feature `postgres`).
    #[cfg(feature = "postgres")]
    pub fn postgres(&self) -> Result<&PgPool, DbError> {
        match &self.inner.pool {
            DbPool::Postgres(pool) => Ok(pool),
            other => Err(self.wrong_backend(Backend::Postgres, other.backend())),
        }
    }

    #[cfg_attr(
        not(feature = "postgres"),
        expect(
            dead_code,
            reason = "with SQLite alone every pool is the one asked for"
        )
    )]
    fn wrong_backend(&self, wanted: Backend, actual: Backend) -> DbError {
        DbError::WrongBackend {
            module: self.inner.module.clone(),
            wanted,
            actual,
            target: self.inner.target.clone(),
        }
    }
}

impl fmt::Debug for DbProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbProvider")
            .field("module", &self.inner.module)
            .field("target", &self.inner.target)
            .field("backend", &self.backend())
            .finish()
    }
}
