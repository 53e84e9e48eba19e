//! Users in the module's PostgreSQL database (or schema).

use modkit::db::sqlx::{self, PgPool, Row, postgres::PgRow};
use uuid::Uuid;

use super::model::User;
use super::page::Cursor;
use super::repository::{Listing, UsersRepository, rows_for};

/// Users in a PostgreSQL table made by the `users` migrations; ids are `UUID`s.
#[derive(Debug, Clone)]
pub struct PostgresUsersRepository {
    pool: PgPool,
}

impl PostgresUsersRepository {
    /// A repository over `pool`, whose database the `users` migrations have been applied to.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

fn user_from(row: &PgRow) -> anyhow::Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
    })
}

#[modkit::async_trait]
impl UsersRepository for PostgresUsersRepository {
    async fn list(&self, after: Option<Cursor>, limit: usize) -> anyhow::Result<Listing> {
        // The primary key finds the page's first row; nothing before it is read.
        let rows = sqlx::query(
            "SELECT seq, id, name, email FROM users WHERE seq > $1 ORDER BY seq LIMIT $2",
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
        let row = sqlx::query("SELECT id, name, email FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    async fn insert(&self, user: User) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO users (id, name, email) VALUES ($1, $2, $3)")
            .bind(user.id)
            .bind(&user.name)
            .bind(&user.email)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn update(&self, user: User) -> anyhow::Result<bool> {
        let done = sqlx::query("UPDATE users SET name = $1, email = $2 WHERE id = $3")
            .bind(&user.name)
            .bind(&user.email)
            .bind(user.id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete(&self, id: Uuid) -> anyhow::Result<bool> {
        let done = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
