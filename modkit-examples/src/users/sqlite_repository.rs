//! Users in the module's SQLite database: they survive a restart of the host.

use modkit::Migration;
use modkit::db::sqlx::{self, Row, SqlitePool};
use uuid::Uuid;

use super::model::User;
use super::repository::UsersRepository;

/// The `users` module's schema history.
pub(crate) fn migrations() -> Vec<Migration> {
    vec![Migration::sql(
        1,
        "create users",
        // `seq` keeps insertion order for paging; `id` is what the API shows.
        "CREATE TABLE users (
            seq   INTEGER PRIMARY KEY AUTOINCREMENT,
            id    TEXT NOT NULL UNIQUE,
            name  TEXT NOT NULL,
            email TEXT NOT NULL
        )",
    )]
}

/// Users in a SQLite table created by the `users` module's migrations.
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

fn user_from(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<User> {
    let id: String = row.try_get("id")?;
    Ok(User {
        id: Uuid::parse_str(&id)?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
    })
}

/// SQLite counts in `i64`; pages are `usize`.
fn to_i64(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[modkit::async_trait]
impl UsersRepository for SqliteUsersRepository {
    async fn list(&self, limit: usize, offset: usize) -> anyhow::Result<(Vec<User>, usize)> {
        let rows = sqlx::query("SELECT id, name, email FROM users ORDER BY seq LIMIT ? OFFSET ?")
            .bind(to_i64(limit))
            .bind(to_i64(offset))
            .fetch_all(&self.pool)
            .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        let users = rows.iter().map(user_from).collect::<anyhow::Result<_>>()?;
        Ok((users, usize::try_from(total).unwrap_or(0)))
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
