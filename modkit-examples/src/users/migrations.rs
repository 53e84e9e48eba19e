//! The `users` table, on SQLite or PostgreSQL: whichever `modules.users.database` names.
//!
//! The two engines spell an auto-numbered key differently, so each version has one
//! statement per engine, run by a function migration that looks at the engine it is given.
//! A function migration's checksum covers its name only: change the table in a new
//! version, never by editing an applied one.

use modkit::Migration;
use modkit::db::Backend;

/// The `users` module's schema history.
pub(crate) fn migrations() -> Vec<Migration> {
    vec![per_backend(
        1,
        "create users",
        // `seq` is the listing order and the key pages are cut by; `id` is what the API
        // shows.
        Statements {
            sqlite: "CREATE TABLE users (
                seq   INTEGER PRIMARY KEY AUTOINCREMENT,
                id    TEXT NOT NULL UNIQUE,
                name  TEXT NOT NULL,
                email TEXT NOT NULL
            )",
            postgres: "CREATE TABLE users (
                seq   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id    UUID NOT NULL UNIQUE,
                name  TEXT NOT NULL,
                email TEXT NOT NULL
            )",
        },
    )]
}

/// One migration step, spelled for each engine.
#[derive(Debug, Clone, Copy)]
struct Statements {
    sqlite: &'static str,
    postgres: &'static str,
}

impl Statements {
    fn for_backend(self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

/// Migration `version`, running `statements`' SQL for the engine it runs on.
fn per_backend(version: i64, name: &'static str, statements: Statements) -> Migration {
    Migration::function(version, name, move |mut tx| {
        Box::pin(async move {
            tx.execute(statements.for_backend(tx.backend())).await?;
            anyhow::Ok(())
        })
    })
}
