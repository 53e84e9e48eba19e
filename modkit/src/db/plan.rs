//! Comparing a module's declared migrations with its history, in memory.

use super::DbError;
use crate::Migration;

/// A module's migrations in version order, each with its checksum.
pub(crate) struct Declared<'m> {
    pub(crate) module: &'m str,
    pub(crate) migrations: Vec<&'m Migration>,
    pub(crate) checksums: Vec<String>,
}

impl Declared<'_> {
    /// The span of applying migration `at` (a plain `tracing` span: exported as an
    /// OpenTelemetry span only when tracing is on).
    pub(crate) fn span(&self, at: usize) -> tracing::Span {
        let migration = self.migrations[at];
        tracing::debug_span!(
            "modkit.migration",
            otel.name = %format_args!("migrate {} {}", self.module, migration.version),
            module = self.module,
            version = migration.version,
            name = %migration.name,
        )
    }
}

/// One row of a module's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Applied {
    pub(crate) version: i64,
    pub(crate) checksum: String,
}

/// `module`'s history, oldest first, read with `query`: the backend's spelling of
/// "`version, checksum` of `module`'s rows, by version", with `module` as its one parameter.
pub(crate) async fn read_history<'c, DB, E>(
    executor: E,
    query: &'static str,
    module: &str,
) -> Result<Vec<Applied>, sqlx::Error>
where
    DB: sqlx::Database,
    E: sqlx::Executor<'c, Database = DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'r> (i64, String): sqlx::FromRow<'r, DB::Row>,
{
    let rows: Vec<(i64, String)> = sqlx::query_as(query)
        .bind(module.to_owned())
        .fetch_all(executor)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(version, checksum)| Applied { version, checksum })
        .collect())
}

/// Records `migration` in `module`'s history with `query`: the backend's spelling of
/// "insert `module, version, name, checksum`", in that parameter order.
pub(crate) async fn record_applied<'c, DB, E>(
    executor: E,
    query: &'static str,
    module: &str,
    migration: &Migration,
    checksum: &str,
) -> Result<(), sqlx::Error>
where
    DB: sqlx::Database,
    E: sqlx::Executor<'c, Database = DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
{
    sqlx::query(query)
        .bind(module.to_owned())
        .bind(migration.version)
        .bind(migration.name.to_string())
        .bind(checksum.to_owned())
        .execute(executor)
        .await?;
    Ok(())
}

impl<'m> Declared<'m> {
    /// Sorts `migrations` by version; a version declared twice is an error.
    pub(crate) fn new(module: &'m str, migrations: &'m [Migration]) -> Result<Self, DbError> {
        let mut sorted: Vec<&Migration> = migrations.iter().collect();
        sorted.sort_by_key(|migration| migration.version);
        if let Some(pair) = sorted
            .windows(2)
            .find(|pair| pair[0].version == pair[1].version)
        {
            return Err(DbError::DuplicateVersion {
                module: module.to_owned(),
                version: pair[0].version,
            });
        }
        let checksums = sorted
            .iter()
            .map(|migration| migration.checksum())
            .collect();
        Ok(Self {
            module,
            migrations: sorted,
            checksums,
        })
    }

    /// The positions (in version order) of the migrations `history` lacks.
    ///
    /// Refuses a history whose applied migrations changed, that has a version nobody
    /// declares, or that lacks a version earlier than one it has.
    pub(crate) fn pending(&self, history: &[Applied]) -> Result<Vec<usize>, DbError> {
        let module = || self.module.to_owned();
        let position = |version: i64| {
            self.migrations
                .binary_search_by_key(&version, |migration| migration.version)
                .ok()
        };
        let mut applied = vec![false; self.migrations.len()];
        for row in history {
            let Some(at) = position(row.version) else {
                return Err(DbError::UnknownVersion {
                    module: module(),
                    version: row.version,
                });
            };
            if self.checksums[at] != row.checksum {
                return Err(DbError::ChecksumMismatch {
                    module: module(),
                    version: row.version,
                    applied: row.checksum.clone(),
                    declared: self.checksums[at].clone(),
                });
            }
            applied[at] = true;
        }
        let latest = history.iter().map(|row| row.version).max();
        let pending: Vec<usize> = (0..self.migrations.len())
            .filter(|&at| !applied[at])
            .collect();
        if let (Some(&first), Some(latest)) = (pending.first(), latest) {
            let version = self.migrations[first].version;
            if version < latest {
                return Err(DbError::MissingVersion {
                    module: module(),
                    version,
                    later: latest,
                });
            }
        }
        Ok(pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrations(versions: &[i64]) -> Vec<Migration> {
        versions
            .iter()
            .map(|&v| Migration::sql(v, format!("m{v}"), format!("SELECT {v}")))
            .collect()
    }

    fn history(declared: &Declared<'_>, versions: &[i64]) -> Vec<Applied> {
        versions
            .iter()
            .map(|&version| {
                let at = declared
                    .migrations
                    .iter()
                    .position(|m| m.version == version)
                    .unwrap();
                Applied {
                    version,
                    checksum: declared.checksums[at].clone(),
                }
            })
            .collect()
    }

    #[test]
    fn pending_migrations_come_in_version_order() {
        let all = migrations(&[3, 1, 2]);
        let declared = Declared::new("m", &all).unwrap();
        assert_eq!(declared.pending(&[]).unwrap(), [0, 1, 2]);
        let applied = history(&declared, &[1]);
        let pending: Vec<i64> = declared
            .pending(&applied)
            .unwrap()
            .into_iter()
            .map(|at| declared.migrations[at].version)
            .collect();
        assert_eq!(pending, [2, 3]);
        assert!(
            declared
                .pending(&history(&declared, &[1, 2, 3]))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_changed_missing_unknown_or_duplicate_version_is_refused() {
        let all = migrations(&[1, 2, 3]);
        let declared = Declared::new("m", &all).unwrap();
        let mut changed = history(&declared, &[1]);
        changed[0].checksum = "0".repeat(64);
        assert!(matches!(
            declared.pending(&changed),
            Err(DbError::ChecksumMismatch { version: 1, .. })
        ));
        assert!(matches!(
            declared.pending(&history(&declared, &[1, 3])),
            Err(DbError::MissingVersion {
                version: 2,
                later: 3,
                ..
            })
        ));
        let unknown = [Applied {
            version: 9,
            checksum: String::new(),
        }];
        assert!(matches!(
            declared.pending(&unknown),
            Err(DbError::UnknownVersion { version: 9, .. })
        ));
        let twice = migrations(&[1, 2, 1]);
        assert!(matches!(
            Declared::new("m", &twice),
            Err(DbError::DuplicateVersion { version: 1, .. })
        ));
    }
}
