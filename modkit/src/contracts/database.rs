use std::borrow::Cow;

/// One step of a module's schema history.
///
/// Versions are the module's own: two modules may both have a version 1.
#[derive(Debug, Clone)]
pub struct Migration {
    /// Position in the module's history; applied in ascending order.
    pub version: i64,
    /// A short human name, recorded with the version.
    pub name: Cow<'static, str>,
    /// What the migration does.
    pub up: MigrationStep,
}

/// What a [`Migration`] runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MigrationStep {
    /// SQL statements, run in one transaction.
    Sql(Cow<'static, str>),
}

impl Migration {
    /// A migration that runs `sql`.
    pub fn sql(
        version: i64,
        name: impl Into<Cow<'static, str>>,
        sql: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            version,
            name: name.into(),
            up: MigrationStep::Sql(sql.into()),
        }
    }
}

/// A module that keeps data in a database.
///
/// # Lifecycle
/// `migrations` is read in the **db** phase (system modules first), before any `init`;
/// pending migrations are applied in version order.
pub trait DatabaseCapability: Send + Sync {
    /// The module's whole schema history, in any order.
    fn migrations(&self) -> Vec<Migration>;
}
