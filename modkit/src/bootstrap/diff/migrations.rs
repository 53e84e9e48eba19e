//! Migrations a database may already have applied and a host would now refuse to start on.
//!
//! The db phase refuses a history with a version nobody declares (a removed migration), an
//! applied migration whose checksum changed, and a pending version below the latest applied
//! one (a migration inserted under existing ones); see `modkit::db`.

use std::collections::{BTreeMap, HashMap};

use super::{ChangeKind, DiffReport};
use crate::bootstrap::{HostManifest, MigrationManifest};

pub(super) fn compare(old: &HostManifest, new: &HostManifest, report: &mut DiffReport) {
    let after_by_name: HashMap<&str, &[MigrationManifest]> = new
        .modules
        .iter()
        .map(|m| (m.name.as_str(), m.migrations.as_slice()))
        .collect();
    for before in &old.modules {
        // A removed or renamed module is reported as such; its history is moot.
        let Some(after) = after_by_name.get(before.name.as_str()) else {
            continue;
        };
        compare_module(&before.name, &before.migrations, after, report);
    }
}

fn compare_module(
    module: &str,
    before: &[MigrationManifest],
    after: &[MigrationManifest],
    report: &mut DiffReport,
) {
    let was = by_version(before);
    let now = by_version(after);
    let label = |m: &MigrationManifest| {
        format!(
            "migration {} (`{}`) of module `{module}`",
            m.version, m.name
        )
    };
    for (version, old) in &was {
        let Some(new) = now.get(version) else {
            report.breaks(
                ChangeKind::MigrationRemoved,
                format!(
                    "{} removed: a database that applied it refuses to start (unknown version)",
                    label(old)
                ),
            );
            continue;
        };
        match (&old.checksum, &new.checksum) {
            (Some(a), Some(b)) if a != b => report.breaks(
                ChangeKind::MigrationChanged,
                format!(
                    "{} changed (checksum {} is now {}): a database that applied it \
                     refuses to start; restore it and add a new version",
                    label(old),
                    short(a),
                    short(b)
                ),
            ),
            _ if old.name != new.name => report.allows(
                ChangeKind::MigrationRenamed,
                format!("{} renamed to `{}`", label(old), new.name),
            ),
            _ => {}
        }
    }
    let latest = was.keys().next_back().copied();
    for (version, new) in &now {
        if was.contains_key(version) {
            continue;
        }
        match latest {
            Some(latest) if *version < latest => report.breaks(
                ChangeKind::MigrationInserted,
                format!(
                    "{} added below version {latest}: a database that applied {latest} \
                     refuses to start (missing version); give it a version above {latest}",
                    label(new)
                ),
            ),
            _ => report.allows(ChangeKind::MigrationAdded, format!("{} added", label(new))),
        }
    }
}

fn by_version(migrations: &[MigrationManifest]) -> BTreeMap<i64, &MigrationManifest> {
    migrations.iter().map(|m| (m.version, m)).collect()
}

/// The first 12 hex digits of a checksum: enough to tell two apart in a message.
fn short(checksum: &str) -> &str {
    checksum.get(..12).unwrap_or(checksum)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{breaking, compatible, demo, diff, module};
    use super::*;

    fn migration(version: i64, name: &str, checksum: &str) -> MigrationManifest {
        MigrationManifest {
            version,
            name: name.to_owned(),
            checksum: Some(checksum.to_owned()),
        }
    }

    #[test]
    fn a_changed_checksum_breaks() {
        let old = demo();
        let mut new = demo();
        module(&mut new, "users").migrations[0].checksum = Some("f".repeat(64));
        let report = diff(&old, &new);
        let changed = breaking(&report, ChangeKind::MigrationChanged);
        assert_eq!(changed.len(), 1, "{report:#?}");
        assert!(
            changed[0].starts_with("migration 1 (`create users`) of module `users` changed")
                && changed[0].contains("refuses to start"),
            "{changed:?}"
        );
    }

    #[test]
    fn a_removed_migration_breaks() {
        let old = demo();
        let mut new = demo();
        module(&mut new, "users").migrations.remove(1);
        let report = diff(&old, &new);
        let removed = breaking(&report, ChangeKind::MigrationRemoved);
        assert_eq!(removed.len(), 1, "{report:#?}");
        assert!(
            removed[0].starts_with("migration 2 (`add email index`) of module `users` removed")
        );
    }

    #[test]
    fn a_migration_below_the_latest_breaks_and_one_above_does_not() {
        let mut old = demo();
        module(&mut old, "users").migrations.remove(0);
        let mut new = demo();
        module(&mut new, "users")
            .migrations
            .push(migration(3, "add age", "ab"));
        let report = diff(&old, &new);
        let inserted = breaking(&report, ChangeKind::MigrationInserted);
        assert_eq!(inserted.len(), 1, "{report:#?}");
        assert!(
            inserted[0].starts_with(
                "migration 1 (`create users`) of module `users` added below version 2"
            )
        );
        assert_eq!(
            compatible(&report, ChangeKind::MigrationAdded),
            ["migration 3 (`add age`) of module `users` added"]
        );
    }

    #[test]
    fn a_renamed_migration_with_the_same_checksum_is_compatible() {
        let old = demo();
        let mut new = demo();
        module(&mut new, "users").migrations[0].name = "users table".to_owned();
        let report = diff(&old, &new);
        assert!(!report.is_breaking(), "{report:#?}");
        assert_eq!(
            compatible(&report, ChangeKind::MigrationRenamed),
            ["migration 1 (`create users`) of module `users` renamed to `users table`"]
        );
    }

    #[test]
    fn manifests_without_checksums_compare_versions_only() {
        let mut old = demo();
        for m in &mut module(&mut old, "users").migrations {
            m.checksum = None;
        }
        let new = demo();
        assert!(!diff(&old, &new).is_breaking());
    }
}
