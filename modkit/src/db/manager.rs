use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use sqlx::pool::PoolOptions;

use super::plan::{Applied, Declared};
use super::target::{Connect, Target, resolve};
use super::{DbError, DbPool, DbProvider, DbSettings, PoolSettings};
use crate::Migration;
use crate::config::ConfigProvider;

/// Opens one pool per module and applies modules' migrations; what
/// [`DbOptions::Manager`](crate::DbOptions::Manager) gives a host.
///
/// A module's database comes from its `modules.<name>.database` section (see
/// [`ModuleDbSettings`](super::ModuleDbSettings)); a module with none gets the embedded
/// SQLite file `<home_dir>/db/<module>.sqlite`. Pools are opened lazily: the first
/// connection is made when the db phase migrates the module, or when the module first
/// queries.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> anyhow::Result<()> {
/// use std::sync::Arc;
/// use modkit::Migration;
/// use modkit::config::ModulesConfig;
/// use modkit::db::{DbManager, DbSettings};
///
/// let home = std::env::temp_dir().join(format!("modkit-doc-{}", uuid::Uuid::new_v4()));
/// let manager = DbManager::new(DbSettings::new(&home), Arc::new(ModulesConfig::empty()));
/// let migrations = [Migration::sql(1, "create notes", "CREATE TABLE notes (body TEXT)")];
/// assert_eq!(manager.migrate("notes", &migrations).await?, [1]);
/// assert!(manager.migrate("notes", &migrations).await?.is_empty()); // nothing left to do
///
/// let pool = manager.provider("notes")?.sqlite()?.clone();
/// sqlx::query("INSERT INTO notes (body) VALUES ('hello')").execute(&pool).await?;
/// manager.close().await;
/// # std::fs::remove_dir_all(home)?;
/// # Ok(())
/// # }
/// ```
pub struct DbManager {
    settings: DbSettings,
    modules: Arc<dyn ConfigProvider>,
    open: Mutex<HashMap<String, Opened>>,
}

#[derive(Clone)]
struct Opened {
    target: Arc<Target>,
    provider: DbProvider,
}

impl DbManager {
    /// A manager for the modules whose sections `modules` holds.
    pub fn new(settings: DbSettings, modules: Arc<dyn ConfigProvider>) -> Self {
        Self {
            settings,
            modules,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// The settings it was built with.
    pub fn settings(&self) -> &DbSettings {
        &self.settings
    }

    /// Whether the host config has a `modules.<module>.database` section.
    pub fn is_configured(&self, module: &str) -> bool {
        self.section(module).is_some()
    }

    /// Checks module `module`'s settings without connecting: the error names the key.
    pub fn check(&self, module: &str) -> Result<(), DbError> {
        resolve(&self.settings, module, self.section(module)).map(drop)
    }

    /// Every pool opened so far, by module name.
    pub fn open_pools(&self) -> Vec<DbProvider> {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let mut pools: Vec<DbProvider> = open.values().map(|o| o.provider.clone()).collect();
        pools.sort_by(|a, b| a.module().cmp(b.module()));
        pools
    }

    /// Module `module`'s pool, opened (lazily) on first call; later calls share it.
    pub fn provider(&self, module: &str) -> Result<DbProvider, DbError> {
        self.opened(module).map(|opened| opened.provider)
    }

    /// Applies module `module`'s pending `migrations` in version order, each in its own
    /// transaction with its history row; returns the versions applied (none when the
    /// database is up to date, which costs one query).
    ///
    /// Refuses, applying nothing, when an applied migration changed, when a version is
    /// pending below an applied one, when the history has a version `migrations` lacks,
    /// or when a version is declared twice. A migration that fails is rolled back; those
    /// before it stay applied.
    pub async fn migrate(
        &self,
        module: &str,
        migrations: &[Migration],
    ) -> Result<Vec<i64>, DbError> {
        self.migrate_from(module, migrations, None).await
    }

    /// [`migrate`](Self::migrate), starting from `known`, the module's history as
    /// [`read_histories`](Self::read_histories) read it moments ago, when there is one.
    ///
    /// Nothing pending in `known`: no query at all. Something pending: each backend checks
    /// the history again under its lock before applying, so `known` may be stale.
    pub(crate) async fn migrate_from(
        &self,
        module: &str,
        migrations: &[Migration],
        known: Option<Vec<Applied>>,
    ) -> Result<Vec<i64>, DbError> {
        let declared = Declared::new(module, migrations)?;
        let opened = self.opened(module)?;
        let target = &opened.target;
        let applied = match &target.connect {
            Connect::Sqlite(_) => {
                let pool = opened.provider.sqlite()?;
                super::sqlite::migrate(target, pool, &declared, known).await?
            }
            #[cfg(feature = "postgres")]
            Connect::Postgres { options, schema } => {
                super::postgres::migrate(target, options, schema.as_deref(), &declared, known)
                    .await?
            }
        };
        if applied.is_empty() {
            tracing::debug!(module, target = %target.description, "database up to date");
        } else {
            tracing::info!(module, target = %target.description, applied = ?applied, "migrations applied");
        }
        Ok(applied)
    }

    /// Reads the history of each of `modules`, several at a time.
    ///
    /// Opening a connection costs far more than the one query that follows it, so reading
    /// the histories side by side, before migrating the modules one by one in their order,
    /// makes a host with nothing to migrate start in a fraction of the time.
    /// Reads are bounded so a host with many modules on one PostgreSQL server stays well
    /// within its connection limit.
    pub(crate) async fn read_histories<'n>(
        &self,
        modules: &[&'n str],
    ) -> HashMap<&'n str, Result<Vec<Applied>, DbError>> {
        const READS_AT_ONCE: usize = 16;
        let mut waiting = modules.iter().copied();
        let mut reading: FuturesUnordered<_> = waiting
            .by_ref()
            .take(READS_AT_ONCE)
            .map(|module| self.history(module))
            .collect();
        let mut histories = HashMap::with_capacity(modules.len());
        while let Some((module, history)) = reading.next().await {
            histories.insert(module, history);
            if let Some(next) = waiting.next() {
                reading.push(self.history(next));
            }
        }
        histories
    }

    /// Module `module`'s history, in one query, next to its name.
    async fn history<'n>(&self, module: &'n str) -> (&'n str, Result<Vec<Applied>, DbError>) {
        let history = async {
            let opened = self.opened(module)?;
            let target = &opened.target;
            match &target.connect {
                Connect::Sqlite(_) => {
                    super::sqlite::history(target, opened.provider.sqlite()?).await
                }
                #[cfg(feature = "postgres")]
                Connect::Postgres { options, .. } => {
                    super::postgres::history(target, options).await
                }
            }
        };
        (module, history.await)
    }

    /// Closes every pool opened so far (after their connections are returned).
    pub async fn close(&self) {
        let opened: Vec<Opened> = self.lock().drain().map(|(_, opened)| opened).collect();
        for opened in opened {
            match opened.provider.pool() {
                DbPool::Sqlite(pool) => pool.close().await,
                #[cfg(feature = "postgres")]
                DbPool::Postgres(pool) => pool.close().await,
            }
        }
    }

    fn section(&self, module: &str) -> Option<&serde_json::Value> {
        self.modules
            .get_module_config(module)
            .and_then(|section| section.get("database"))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Opened>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn opened(&self, module: &str) -> Result<Opened, DbError> {
        if let Some(opened) = self.lock().get(module) {
            return Ok(opened.clone());
        }
        let target = Arc::new(resolve(&self.settings, module, self.section(module))?);
        let pool = open_pool(&target)?;
        let provider = DbProvider::new(module, &target.description, pool);
        let opened = Opened { target, provider };
        Ok(self
            .lock()
            .entry(module.to_owned())
            .or_insert(opened)
            .clone())
    }
}

/// A lazy pool: no connection is made until one is needed. Creates an SQLite file's
/// folder first.
fn open_pool(target: &Target) -> Result<DbPool, DbError> {
    Ok(match &target.connect {
        Connect::Sqlite(options) => {
            let folder = options.get_filename().parent();
            if let Some(folder) = folder.filter(|folder| !folder.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder).map_err(|error| DbError::Connect {
                    module: target.module.clone(),
                    target: target.description.clone(),
                    reason: format!("cannot create `{}`: {error}", folder.display()),
                })?;
            }
            DbPool::Sqlite(pool_options(target.pool).connect_lazy_with(options.clone()))
        }
        #[cfg(feature = "postgres")]
        Connect::Postgres { options, .. } => {
            DbPool::Postgres(pool_options(target.pool).connect_lazy_with(options.clone()))
        }
    })
}

fn pool_options<DB: sqlx::Database>(settings: PoolSettings) -> PoolOptions<DB> {
    let mut options = PoolOptions::new();
    if let Some(max) = settings.max_connections {
        options = options.max_connections(max);
    }
    if let Some(min) = settings.min_connections {
        options = options.min_connections(min);
    }
    if let Some(timeout) = settings.acquire_timeout {
        options = options.acquire_timeout(timeout);
    }
    options
}

impl fmt::Debug for DbManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbManager")
            .field("settings", &self.settings)
            .field("open", &self.lock().len())
            .finish_non_exhaustive()
    }
}
