//! Listing a page of users from a big table, before and after keyset pages, side by side:
//!
//! * before: `ORDER BY seq LIMIT 20 OFFSET n` plus a `COUNT(*)` on every page (the
//!   `users` repository's former queries, kept here to compare with);
//! * after: the repository's `list` (`WHERE seq > cursor ORDER BY seq LIMIT 21`), and with
//!   the count asked for (`count=true`).
//!
//! Each on the first page and on a deep one (past 99% of the rows), on SQLite (a file in a
//! temp dir) and, when `MODKIT_TEST_POSTGRES_URL` is set, on PostgreSQL (a schema of its
//! own, dropped at the end). The table is made by the `users` module's own migrations.
//! Prints the median time per call over the calls made; asserts nothing.
//!
//! Run with: cargo bench -p modkit-examples --bench users_list [-- <rows>]

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use modkit::DatabaseCapability;
use modkit::config::ModulesConfig;
use modkit::db::sqlx::{self, Row};
use modkit::db::{DbManager, DbPool, DbSettings};
use modkit_examples::users::{
    Cursor, PostgresUsersRepository, SqliteUsersRepository, Users, UsersRepository,
};

const PAGE: usize = 20;
/// Calls per figure, at most, and the time they may take.
const CALLS: usize = 400;
const BUDGET: Duration = Duration::from_secs(3);

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once, briefly.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let rows: i64 = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(if quick { 2_000 } else { 140_000 });
    let calls = if quick { 5 } else { CALLS };

    let home = std::env::temp_dir().join(format!("modkit-users-list-{}", uuid::Uuid::new_v4()));
    let sqlite = Database::open(&home, ModulesConfig::empty()).await?;
    sqlite.fill(rows).await?;
    sqlite.report(rows, calls).await?;

    if let Ok(url) = std::env::var("MODKIT_TEST_POSTGRES_URL") {
        let schema = format!("users_list_bench_{}", uuid::Uuid::new_v4().simple());
        let config = ModulesConfig::empty()
            .with_module_database("users", serde_json::json!({ "dsn": url, "schema": schema }));
        let postgres = Database::open(&home, config).await?;
        let measured = async {
            postgres.fill(rows).await?;
            postgres.report(rows, calls).await
        }
        .await;
        if let DbPool::Postgres(pool) = &postgres.pool {
            sqlx::query(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
                .execute(pool)
                .await?;
        }
        measured?;
    } else {
        println!("(PostgreSQL: set MODKIT_TEST_POSTGRES_URL to measure it too)");
    }
    let _ = std::fs::remove_dir_all(&home);
    Ok(())
}

/// The `users` module's database, migrated, with its repository.
struct Database {
    pool: DbPool,
    repository: Arc<dyn UsersRepository>,
}

impl Database {
    async fn open(home: &std::path::Path, config: ModulesConfig) -> anyhow::Result<Self> {
        let manager = DbManager::new(DbSettings::new(home), Arc::new(config));
        manager
            .migrate("users", &Users::default().migrations())
            .await?;
        let pool = manager.provider("users")?.pool().clone();
        let repository: Arc<dyn UsersRepository> = match &pool {
            DbPool::Sqlite(pool) => Arc::new(SqliteUsersRepository::new(pool.clone())),
            DbPool::Postgres(pool) => Arc::new(PostgresUsersRepository::new(pool.clone())),
            other => anyhow::bail!("no repository for {}", other.backend()),
        };
        Ok(Self { pool, repository })
    }

    fn label(&self) -> String {
        self.pool.backend().to_string()
    }

    /// `rows` users, in one statement.
    async fn fill(&self, rows: i64) -> anyhow::Result<()> {
        match &self.pool {
            DbPool::Sqlite(pool) => {
                sqlx::query(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                     INSERT INTO users (id, name, email)
                     SELECT printf('%08x-0000-4000-8000-%012x', i, i), 'User ' || i,
                            'user' || i || '@example.com'
                     FROM n",
                )
                .bind(rows)
                .execute(pool)
                .await?;
            }
            DbPool::Postgres(pool) => {
                sqlx::query(
                    "INSERT INTO users (id, name, email)
                     SELECT gen_random_uuid(), 'User ' || i, 'user' || i || '@example.com'
                     FROM generate_series(1, $1::bigint) AS i",
                )
                .bind(rows)
                .execute(pool)
                .await?;
                sqlx::query("ANALYZE users").execute(pool).await?;
            }
            other => anyhow::bail!("cannot fill {}", other.backend()),
        }
        Ok(())
    }

    /// The former page: `LIMIT`/`OFFSET`, then a count.
    async fn offset_page(&self, offset: i64) -> anyhow::Result<usize> {
        let limit = i64::try_from(PAGE)?;
        let (rows, total): (usize, i64) = match &self.pool {
            DbPool::Sqlite(pool) => {
                let rows =
                    sqlx::query("SELECT id, name, email FROM users ORDER BY seq LIMIT ? OFFSET ?")
                        .bind(limit)
                        .bind(offset)
                        .fetch_all(pool)
                        .await?;
                let total = sqlx::query("SELECT COUNT(*) FROM users")
                    .fetch_one(pool)
                    .await?
                    .try_get(0)?;
                (rows.len(), total)
            }
            DbPool::Postgres(pool) => {
                let rows = sqlx::query(
                    "SELECT id, name, email FROM users ORDER BY seq LIMIT $1 OFFSET $2",
                )
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
                let total = sqlx::query("SELECT COUNT(*) FROM users")
                    .fetch_one(pool)
                    .await?
                    .try_get(0)?;
                (rows.len(), total)
            }
            other => anyhow::bail!("no former query for {}", other.backend()),
        };
        anyhow::ensure!(rows == PAGE && total > 0, "a short page");
        Ok(rows)
    }

    /// The page after `after`, and the count when `count`.
    async fn keyset_page(&self, after: Option<Cursor>, count: bool) -> anyhow::Result<usize> {
        let listing = self.repository.list(after, PAGE).await?;
        if count {
            anyhow::ensure!(self.repository.count().await? > 0, "no users");
        }
        anyhow::ensure!(listing.users.len() == PAGE, "a short page");
        Ok(listing.users.len())
    }

    async fn report(&self, rows: i64, calls: usize) -> anyhow::Result<()> {
        let deep = rows - rows / 100;
        let deep_cursor = Some(Cursor::after(deep));
        println!(
            "\n{}: {rows} users, pages of {PAGE}, median per call",
            self.label()
        );
        println!(
            "{:<12} {:>22} {:>18} {:>22} {:>8}",
            "page", "before (OFFSET+COUNT)", "after (cursor)", "after, count=true", "ratio"
        );
        for (label, offset, cursor) in [("first", 0, None), ("deep", deep, deep_cursor)] {
            let before = median(calls, || self.offset_page(offset)).await?;
            let after = median(calls, || self.keyset_page(cursor, false)).await?;
            let counted = median(calls, || self.keyset_page(cursor, true)).await?;
            println!(
                "{label:<12} {:>22} {:>18} {:>22} {:>7.0}x",
                format!("{before:.2?}"),
                format!("{after:.2?}"),
                format!("{counted:.2?}"),
                before.as_secs_f64() / after.as_secs_f64()
            );
        }
        Ok(())
    }
}

/// The median time of `call`, over up to `calls` calls (fewer when they use up
/// [`BUDGET`]), after one untimed call.
async fn median<F, Fut>(calls: usize, call: F) -> anyhow::Result<Duration>
where
    F: Fn() -> Fut,
    Fut: Future<Output = anyhow::Result<usize>>,
{
    call().await?;
    let started = Instant::now();
    let mut times = Vec::with_capacity(calls);
    while times.len() < calls && (times.len() < 5 || started.elapsed() < BUDGET) {
        let began = Instant::now();
        call().await?;
        times.push(began.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}
