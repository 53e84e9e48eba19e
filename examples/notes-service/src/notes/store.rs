//! The notes table, written by the module's migration.

use modkit::db::sqlx::{self, SqlitePool};

use super::model::{Note, NoteInput};

/// The notes in the module's SQLite database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

type Row = (i64, String, String);

fn note((id, title, body): Row) -> Note {
    Note { id, title, body }
}

impl Store {
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }

    /// Up to `limit` notes with an id greater than `after`, by increasing id.
    pub async fn list(&self, after: i64, limit: u32) -> sqlx::Result<Vec<Note>> {
        let rows: Vec<Row> =
            sqlx::query_as("SELECT id, title, body FROM notes WHERE id > ? ORDER BY id LIMIT ?")
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(note).collect())
    }

    pub async fn get(&self, id: i64) -> sqlx::Result<Option<Note>> {
        let row: Option<Row> = sqlx::query_as("SELECT id, title, body FROM notes WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(note))
    }

    pub async fn insert(&self, input: NoteInput) -> sqlx::Result<Note> {
        let done = sqlx::query("INSERT INTO notes (title, body) VALUES (?, ?)")
            .bind(&input.title)
            .bind(&input.body)
            .execute(&self.pool)
            .await?;
        Ok(Note {
            id: done.last_insert_rowid(),
            title: input.title,
            body: input.body,
        })
    }

    /// The replaced note, or `None` when there is no note `id`.
    pub async fn update(&self, id: i64, input: NoteInput) -> sqlx::Result<Option<Note>> {
        let done = sqlx::query("UPDATE notes SET title = ?, body = ? WHERE id = ?")
            .bind(&input.title)
            .bind(&input.body)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok((done.rows_affected() == 1).then_some(Note {
            id,
            title: input.title,
            body: input.body,
        }))
    }

    /// Whether there was a note `id`.
    pub async fn delete(&self, id: i64) -> sqlx::Result<bool> {
        let done = sqlx::query("DELETE FROM notes WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
