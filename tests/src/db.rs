//! Database fixtures: a temporary home dir, a fresh PostgreSQL schema, and a module whose
//! migrations a test chooses.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use modkit::config::ModulesConfig;
use modkit::db::sqlx::{self, Connection, PgConnection, SqliteConnection};
use modkit::db::{DbManager, DbProvider, DbSettings};
use modkit::registry::RegistryBuilder;
use modkit::{DatabaseCapability, DbOptions, Migration, Module, ModuleCtx};

/// The variable that points the PostgreSQL tests at a server.
pub const POSTGRES_URL_VAR: &str = "MODKIT_TEST_POSTGRES_URL";

/// A directory under the system's temp dir, removed (with its content) on drop.
#[derive(Debug)]
pub struct TempHome {
    path: PathBuf,
}

impl TempHome {
    /// A new, empty directory.
    ///
    /// # Panics
    /// If it cannot be created.
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("modkit-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).expect("create a temp dir");
        Self { path }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A manager whose embedded SQLite files go under this dir.
    pub fn manager(&self, config: &ModulesConfig) -> DbOptions {
        DbOptions::Manager(Arc::new(DbManager::new(
            DbSettings::new(&self.path),
            Arc::new(config.clone()),
        )))
    }
}

impl Default for TempHome {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The PostgreSQL server's URL, or `None` (saying that `test` skips) when
/// [`POSTGRES_URL_VAR`] is unset; see [`crate::outside`] for when a skip fails instead.
pub fn postgres_url(test: &str) -> Option<String> {
    crate::outside::service(test, POSTGRES_URL_VAR, "a PostgreSQL server")
}

/// A schema of its own on the test server, so that tests running side by side never see
/// each other's tables or histories. Call [`drop_schema`](Self::drop_schema) at the end.
#[derive(Debug, Clone)]
pub struct PgSchema {
    url: String,
    name: String,
}

impl PgSchema {
    /// A fresh name (the schema itself is created by the db phase).
    pub fn new(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            name: format!("modkit_t_{}", uuid::Uuid::new_v4().simple()),
        }
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A `modules.<name>.database` section that puts a module in this schema.
    pub fn section(&self) -> serde_json::Value {
        serde_json::json!({ "dsn": self.url, "schema": self.name })
    }

    /// A connection whose `search_path` is the schema.
    ///
    /// # Panics
    /// If the server cannot be reached.
    pub async fn connect(&self) -> PgConnection {
        let mut connection = PgConnection::connect(&self.url)
            .await
            .expect("connect to the test server");
        sqlx::query(&format!("SET search_path TO \"{}\"", self.name))
            .execute(&mut connection)
            .await
            .expect("set the search path");
        connection
    }

    /// Drops the schema and everything in it.
    pub async fn drop_schema(&self) {
        let mut connection = self.connect().await;
        let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name))
            .execute(&mut connection)
            .await;
    }
}

/// What a [`DbModule`] saw in `init`.
#[derive(Debug, Default)]
pub struct DbProbe {
    inits: AtomicUsize,
    provider: Mutex<Option<DbProvider>>,
}

impl DbProbe {
    /// How many times `init` ran.
    pub fn inits(&self) -> usize {
        self.inits.load(Ordering::SeqCst)
    }

    /// What `ctx.db()` gave the last `init`.
    pub fn provider(&self) -> Option<DbProvider> {
        self.provider
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// A module with the `db` capability and the migrations a test gives it; its `init`
/// records what `ctx.db()` returned.
pub struct DbModule {
    name: &'static str,
    migrations: Vec<Migration>,
}

impl DbModule {
    /// Module `name` with `migrations`.
    pub fn new(name: &'static str, migrations: Vec<Migration>) -> Self {
        Self { name, migrations }
    }

    /// Registers it (core + db) in `builder`.
    pub fn register(self, builder: &mut RegistryBuilder) -> Arc<DbProbe> {
        let probe = Arc::new(DbProbe::default());
        let name = self.name;
        let module = Arc::new(Registered {
            migrations: self.migrations,
            probe: Arc::clone(&probe),
        });
        builder.register_core_with_meta(name, &[], module.clone());
        builder.register_db_with_meta(name, module);
        probe
    }
}

impl fmt::Debug for DbModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbModule")
            .field("name", &self.name)
            .field("migrations", &self.migrations.len())
            .finish()
    }
}

struct Registered {
    migrations: Vec<Migration>,
    probe: Arc<DbProbe>,
}

#[modkit::async_trait]
impl Module for Registered {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        self.probe.inits.fetch_add(1, Ordering::SeqCst);
        *self
            .probe
            .provider
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = ctx.db();
        Ok(())
    }
}

impl DatabaseCapability for Registered {
    fn migrations(&self) -> Vec<Migration> {
        self.migrations.clone()
    }
}

/// `count` SQL migrations: version `n` creates table `t<n>`.
pub fn table_migrations(count: i64) -> Vec<Migration> {
    (1..=count)
        .map(|n| {
            Migration::sql(
                n,
                format!("create t{n}"),
                format!("CREATE TABLE t{n} (id INTEGER PRIMARY KEY)"),
            )
        })
        .collect()
}

/// A real database for one test, SQLite or PostgreSQL, with the queries tests check
/// results with. Every module gets its own SQLite file, or, with
/// [`shared`](Self::shared), all share one; on PostgreSQL all share a fresh schema.
#[derive(Debug)]
pub enum TestDb {
    /// SQLite files under a temp home.
    Sqlite {
        /// The home dir (`<home>/db/<module>.sqlite`).
        home: TempHome,
        /// The one file every module uses, if shared.
        shared: Option<PathBuf>,
    },
    /// A fresh schema on the test server (and a temp home nobody uses).
    Postgres {
        /// The home dir the manager is given.
        home: TempHome,
        /// The schema.
        schema: PgSchema,
    },
}

impl TestDb {
    /// SQLite, one file per module (the embedded default: no `database` section).
    pub fn sqlite() -> Self {
        TestDb::Sqlite {
            home: TempHome::new(),
            shared: None,
        }
    }

    /// PostgreSQL, if [`POSTGRES_URL_VAR`] is set (else says that `test` skips).
    pub fn postgres(test: &str) -> Option<Self> {
        let url = postgres_url(test)?;
        Some(TestDb::Postgres {
            home: TempHome::new(),
            schema: PgSchema::new(&url),
        })
    }

    /// SQLite, and, when the server is configured, PostgreSQL.
    pub fn each(test: &str) -> Vec<Self> {
        let mut dbs = vec![Self::sqlite()];
        dbs.extend(Self::postgres(test));
        dbs
    }

    /// Every module in one database: one SQLite file (`dsn`), or the one schema.
    pub fn shared(self) -> Self {
        match self {
            TestDb::Sqlite { home, .. } => {
                let file = home.path().join("shared.sqlite");
                TestDb::Sqlite {
                    home,
                    shared: Some(file),
                }
            }
            postgres => postgres,
        }
    }

    /// `"SQLite"` or `"PostgreSQL"`, for assertion messages.
    pub fn label(&self) -> &'static str {
        match self {
            TestDb::Sqlite { .. } => "SQLite",
            TestDb::Postgres { .. } => "PostgreSQL",
        }
    }

    /// The modules' config: a `database` section for each of `modules` where needed.
    pub fn config(&self, modules: &[&str]) -> ModulesConfig {
        self.with_databases(ModulesConfig::empty(), modules)
    }

    /// `config` with a `database` section for each of `modules` where needed.
    pub fn with_databases(&self, config: ModulesConfig, modules: &[&str]) -> ModulesConfig {
        let section = match self {
            TestDb::Sqlite { shared: None, .. } => return config,
            TestDb::Sqlite {
                shared: Some(file), ..
            } => serde_json::json!({ "dsn": format!("sqlite://{}", file.display()) }),
            TestDb::Postgres { schema, .. } => schema.section(),
        };
        modules.iter().fold(config, |config, module| {
            config.with_module_database(module, section.clone())
        })
    }

    /// A manager over `config` (use [`config`](Self::config)).
    pub fn options(&self, config: &ModulesConfig) -> DbOptions {
        match self {
            TestDb::Sqlite { home, .. } | TestDb::Postgres { home, .. } => home.manager(config),
        }
    }

    /// Module `module`'s applied versions, in order (none if there is no history yet).
    pub async fn history(&self, module: &str) -> Vec<i64> {
        let query = match self {
            TestDb::Sqlite { .. } => {
                "SELECT version FROM modkit_migrations WHERE module = ?1 ORDER BY version"
            }
            TestDb::Postgres { .. } => {
                "SELECT version FROM modkit_migrations WHERE module = $1 ORDER BY version"
            }
        };
        if !self.has_table(module, "modkit_migrations").await {
            return Vec::new();
        }
        let rows: Vec<(i64,)> = match self {
            TestDb::Sqlite { .. } => {
                let mut connection = self.open_sqlite(module).await;
                sqlx::query_as(query)
                    .bind(module)
                    .fetch_all(&mut connection)
                    .await
            }
            TestDb::Postgres { schema, .. } => {
                let mut connection = schema.connect().await;
                sqlx::query_as(query)
                    .bind(module)
                    .fetch_all(&mut connection)
                    .await
            }
        }
        .expect("read the history");
        rows.into_iter().map(|(version,)| version).collect()
    }

    /// Whether table `table` exists in module `module`'s database.
    pub async fn has_table(&self, module: &str, table: &str) -> bool {
        if self.sqlite_file(module).is_some_and(|file| !file.exists()) {
            return false;
        }
        let (count,): (i64,) = match self {
            TestDb::Sqlite { .. } => {
                let mut connection = self.open_sqlite(module).await;
                sqlx::query_as("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1")
                    .bind(table)
                    .fetch_one(&mut connection)
                    .await
            }
            TestDb::Postgres { schema, .. } => {
                let mut connection = schema.connect().await;
                sqlx::query_as("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2")
                    .bind(schema.name())
                    .bind(table)
                    .fetch_one(&mut connection)
                    .await
            }
        }
        .expect("look the table up");
        count > 0
    }

    /// The rows of `table` in module `module`'s database.
    pub async fn count(&self, module: &str, table: &str) -> i64 {
        let query = format!("SELECT COUNT(*) FROM {table}");
        let (count,): (i64,) = match self {
            TestDb::Sqlite { .. } => {
                let mut connection = self.open_sqlite(module).await;
                sqlx::query_as(&query).fetch_one(&mut connection).await
            }
            TestDb::Postgres { schema, .. } => {
                let mut connection = schema.connect().await;
                sqlx::query_as(&query).fetch_one(&mut connection).await
            }
        }
        .expect("count the rows");
        count
    }

    /// Drops what the test made on the server (the temp home goes on drop).
    pub async fn clean_up(self) {
        if let TestDb::Postgres { schema, .. } = &self {
            schema.drop_schema().await;
        }
    }

    /// Module `module`'s SQLite file, if this is SQLite.
    fn sqlite_file(&self, module: &str) -> Option<PathBuf> {
        match self {
            TestDb::Sqlite { home, shared } => Some(
                shared
                    .clone()
                    .unwrap_or_else(|| home.path().join("db").join(format!("{module}.sqlite"))),
            ),
            TestDb::Postgres { .. } => None,
        }
    }

    async fn open_sqlite(&self, module: &str) -> SqliteConnection {
        let file = self
            .sqlite_file(module)
            .expect("not an SQLite test database");
        SqliteConnection::connect(&format!("sqlite://{}", file.display()))
            .await
            .expect("open the SQLite file")
    }
}
