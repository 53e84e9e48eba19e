use std::fmt;

#[cfg(feature = "postgres")]
use sqlx::PgConnection;
use sqlx::{Executor, SqliteConnection};

use super::Backend;

/// The transaction a [`Migration::function`](crate::Migration::function) runs in.
///
/// It is committed, together with the migration's history row, when the function returns
/// `Ok`; do not commit or roll back yourself. Reach the connection with
/// [`sqlite`](Self::sqlite) / [`postgres`](Self::postgres) for typed queries, or run
/// plain SQL on either with [`execute`](Self::execute).
///
/// ```
/// use modkit::Migration;
///
/// let backfill = Migration::function(3, "backfill display names", |mut tx| {
///     Box::pin(async move {
///         if let Some(conn) = tx.sqlite() {
///             let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM users")
///                 .fetch_all(&mut *conn)
///                 .await?;
///             for (id, name) in rows {
///                 sqlx::query("UPDATE users SET display_name = ? WHERE id = ?")
///                     .bind(name.to_uppercase())
///                     .bind(id)
///                     .execute(&mut *conn)
///                     .await?;
///             }
///         }
///         anyhow::Ok(())
///     })
/// });
/// ```
pub struct MigrationTx<'t> {
    module: &'t str,
    connection: Connection<'t>,
}

enum Connection<'t> {
    Sqlite(&'t mut SqliteConnection),
    #[cfg(feature = "postgres")]
    Postgres(&'t mut PgConnection),
}

impl<'t> MigrationTx<'t> {
    pub(crate) fn sqlite_tx(module: &'t str, connection: &'t mut SqliteConnection) -> Self {
        Self {
            module,
            connection: Connection::Sqlite(connection),
        }
    }

    #[cfg(feature = "postgres")]
    pub(crate) fn postgres_tx(module: &'t str, connection: &'t mut PgConnection) -> Self {
        Self {
            module,
            connection: Connection::Postgres(connection),
        }
    }

    /// The module being migrated.
    pub fn module(&self) -> &str {
        self.module
    }

    /// The engine.
    pub fn backend(&self) -> Backend {
        match self.connection {
            Connection::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            Connection::Postgres(_) => Backend::Postgres,
        }
    }

    /// The connection, inside the transaction, if the database is SQLite.
    pub fn sqlite(&mut self) -> Option<&mut SqliteConnection> {
        match &mut self.connection {
            Connection::Sqlite(connection) => Some(connection),
            #[cfg(feature = "postgres")]
            Connection::Postgres(_) => None,
        }
    }

    /// The connection, inside the transaction, if the database is PostgreSQL (feature
    /// `postgres`).
    #[cfg(feature = "postgres")]
    pub fn postgres(&mut self) -> Option<&mut PgConnection> {
        match &mut self.connection {
            Connection::Postgres(connection) => Some(connection),
            Connection::Sqlite(_) => None,
        }
    }

    /// Runs `sql` (one or several `;`-separated statements, no parameters) and returns how
    /// many rows it changed.
    pub async fn execute(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        let raw = sqlx::raw_sql(sql);
        Ok(match &mut self.connection {
            Connection::Sqlite(connection) => connection.execute(raw).await?.rows_affected(),
            #[cfg(feature = "postgres")]
            Connection::Postgres(connection) => connection.execute(raw).await?.rows_affected(),
        })
    }
}

impl fmt::Debug for MigrationTx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MigrationTx")
            .field("module", &self.module)
            .field("backend", &self.backend())
            .finish()
    }
}
