//! Users in the module's SQLite database: they survive a restart of the host.

use modkit::db::sqlx::{self, Row, SqlitePool, sqlite::SqliteRow};
use uuid::Uuid;

use super::model::User;
use super::page::Cursor;
use super::repository::{Listing, UsersRepository, rows_for};

/// Users in an SQLite table made by the `users` migrations; ids are stored as text.
#[derive(Debug, Clone)]
pub struct SqliteUsersRepository {
    pool: SqlitePool,
}

impl SqliteUsersRepository {
    /// A repository over `pool`, whose database the `users` migrations have been applied to.
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }
}

fn user_from(row: &SqliteRow) -> anyhow::Result<User> {
    let id: String = row.try_get("id")?;
    Ok(User {
        id: Uuid::parse_str(&id)?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
    })
}

#[modkit::async_trait]
impl UsersRepository for SqliteUsersRepository {
    async fn list(&self, after: Option<Cursor>, limit: usize) -> anyhow::Result<Listing> {
        // The primary key finds the page's first row; nothing before it is read.
        let rows = sqlx::query(
            "SELECT seq, id, name, email FROM users WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after.map_or(0, Cursor::position))
        .bind(rows_for(limit))
        .fetch_all(&self.pool)
        .await?;
        let rows = rows
            .iter()
            .map(|row| Ok((row.try_get("seq")?, user_from(row)?)))
            .collect::<anyhow::Result<_>>()?;
        Ok(Listing::from_rows(rows, limit))
    }

    async fn count(&self) -> anyhow::Result<u64> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(count)?)
    }

    async fn get(&self, id: Uuid) -> anyhow::Result<Option<User>> {
        let row = sqlx::query("SELECT id, name, email FROM users WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    async fn insert(&self, user: User) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO users (id, name, email) VALUES (?, ?, ?)")
            .bind(user.id.to_string())
            .bind(&user.name)
            .bind(&user.email)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn update(&self, user: User) -> anyhow::Result<bool> {
        let done = sqlx::query("UPDATE users SET name = ?, email = ? WHERE id = ?")
            .bind(&user.name)
            .bind(&user.email)
            .bind(user.id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete(&self, id: Uuid) -> anyhow::Result<bool> {
        let done = sqlx::query("DELETE FROM users WHERE id = ?")
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
