//! A module's database pool on its context, set by the db phase (or by a test, through
//! [`ModuleContextBuilder::for_module_with_db`]).

use std::sync::OnceLock;

use super::{DbError, DbProvider};
use crate::context::{ModuleContextBuilder, ModuleCtx};

/// Each module's pool by module position, kept in the host's extensions; made when the
/// first pool is set, since most hosts have far fewer database modules than modules.
struct DbSlots(Box<[OnceLock<DbProvider>]>);

impl ModuleCtx {
    /// The module's database pool: set for a module with the `db` capability or a
    /// `modules.<name>.database` section once the db phase has migrated it (so from `init`
    /// on); `None` otherwise.
    pub fn db(&self) -> Option<DbProvider> {
        let (_, extensions) = self.host_extensions();
        let slots = extensions.get::<DbSlots>()?;
        slots.0.get(self.handle().index())?.get().cloned()
    }

    /// The module's database pool, or an error saying which config key gives it one.
    ///
    /// ```
    /// # async fn demo(ctx: &modkit::ModuleCtx) -> anyhow::Result<()> {
    /// let pool = ctx.db_required()?.sqlite()?.clone();
    /// sqlx::query("CREATE TABLE IF NOT EXISTS seen (at TEXT)").execute(&pool).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn db_required(&self) -> Result<DbProvider, DbError> {
        self.db().ok_or_else(|| DbError::NoDatabase {
            module: self.module_name().to_owned(),
        })
    }

    /// Gives the module its pool; a second call changes nothing.
    pub(crate) fn set_db(&self, provider: DbProvider) {
        let (modules, extensions) = self.host_extensions();
        let slots = extensions
            .get_or_insert_with(|| DbSlots((0..modules).map(|_| OnceLock::new()).collect()));
        if let Some(slot) = slots.0.get(self.handle().index()) {
            let _ = slot.set(provider);
        }
    }
}

impl ModuleContextBuilder {
    /// A context for module `name` whose [`db`](ModuleCtx::db) is `db`: for calling a
    /// database module's `init` in a test.
    pub fn for_module_with_db(&self, name: &'static str, db: DbProvider) -> ModuleCtx {
        let ctx = self.for_module(name);
        ctx.set_db(db);
        ctx
    }
}
