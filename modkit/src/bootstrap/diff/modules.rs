//! Modules that went, came, were renamed, or changed dependencies, placement or
//! capabilities.

use std::collections::{BTreeSet, HashMap};

use super::{ChangeKind, DiffReport, path};
use crate::bootstrap::{HostManifest, ModuleManifest};

pub(super) fn compare(old: &HostManifest, new: &HostManifest, report: &mut DiffReport) {
    let old_by_name = by_name(old);
    let new_by_name = by_name(new);
    let mut added: Vec<&ModuleManifest> = new
        .modules
        .iter()
        .filter(|m| !old_by_name.contains_key(m.name.as_str()))
        .collect();

    for before in &old.modules {
        let Some(after) = new_by_name.get(before.name.as_str()) else {
            match renamed(before, &added) {
                Some(index) => {
                    let to = added.remove(index);
                    report.breaks(
                        ChangeKind::ModuleRenamed,
                        format!(
                            "module `{}` renamed to `{}`: its config section \
                             (`modules.{}`), its database history and every dependency \
                             on it must follow",
                            before.name, to.name, before.name
                        ),
                    );
                }
                None => report.breaks(
                    ChangeKind::ModuleRemoved,
                    format!("module `{}` removed", before.name),
                ),
            }
            continue;
        };
        compare_module(before, after, report);
    }
    for module in added {
        report.allows(
            ChangeKind::ModuleAdded,
            format!("module `{}` added", module.name),
        );
    }
}

fn compare_module(before: &ModuleManifest, after: &ModuleManifest, report: &mut DiffReport) {
    let name = &before.name;
    let (removed, added) = set_difference(&before.deps, &after.deps);
    if !removed.is_empty() || !added.is_empty() {
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("now also on {}", names(&added)));
        }
        if !removed.is_empty() {
            parts.push(format!("no longer on {}", names(&removed)));
        }
        report.breaks(
            ChangeKind::DependenciesChanged,
            format!(
                "dependencies of module `{name}` changed: {} (start order and what must \
                 be deployed with it change)",
                parts.join(", ")
            ),
        );
    }
    if before.placement != after.placement {
        report.allows(
            ChangeKind::PlacementChanged,
            format!(
                "module `{name}` moved from placement `{}` to `{}`",
                before.placement, after.placement
            ),
        );
    }
    let (removed, added) = set_difference(&before.capabilities, &after.capabilities);
    if !removed.is_empty() || !added.is_empty() {
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("gained {}", names(&added)));
        }
        if !removed.is_empty() {
            parts.push(format!("lost {}", names(&removed)));
        }
        report.allows(
            ChangeKind::CapabilitiesChanged,
            format!("capabilities of module `{name}`: {}", parts.join(", ")),
        );
    }
}

/// The position in `added` of the one module that looks like `removed` under another
/// name: same capabilities, dependencies, routes, gRPC services and migrations. `None`
/// when no module, or more than one, does.
fn renamed(removed: &ModuleManifest, added: &[&ModuleManifest]) -> Option<usize> {
    let signature = Signature::of(removed);
    let mut matches = added
        .iter()
        .enumerate()
        .filter(|(_, candidate)| Signature::of(candidate) == signature)
        .map(|(index, _)| index);
    match (matches.next(), matches.next()) {
        (Some(index), None) => Some(index),
        _ => None,
    }
}

/// What identifies a module apart from its name.
#[derive(PartialEq, Eq)]
struct Signature<'a> {
    capabilities: BTreeSet<&'a str>,
    deps: BTreeSet<&'a str>,
    routes: BTreeSet<(String, String)>,
    services: BTreeSet<&'a str>,
    migrations: Vec<(i64, Option<&'a str>)>,
}

impl<'a> Signature<'a> {
    fn of(module: &'a ModuleManifest) -> Self {
        Self {
            capabilities: module.capabilities.iter().map(String::as_str).collect(),
            deps: module.deps.iter().map(String::as_str).collect(),
            routes: module
                .rest_routes
                .iter()
                .map(|r| (r.method.clone(), path::shape(&r.path)))
                .collect(),
            services: module.grpc_services.iter().map(String::as_str).collect(),
            migrations: module
                .migrations
                .iter()
                .map(|m| (m.version, m.checksum.as_deref()))
                .collect(),
        }
    }
}

fn by_name(manifest: &HostManifest) -> HashMap<&str, &ModuleManifest> {
    manifest
        .modules
        .iter()
        .map(|module| (module.name.as_str(), module))
        .collect()
}

/// What `before` has that `after` lacks, and the reverse, each sorted.
pub(super) fn set_difference<'a>(
    before: &'a [String],
    after: &'a [String],
) -> (Vec<&'a str>, Vec<&'a str>) {
    let before: BTreeSet<&str> = before.iter().map(String::as_str).collect();
    let after: BTreeSet<&str> = after.iter().map(String::as_str).collect();
    (
        before.difference(&after).copied().collect(),
        after.difference(&before).copied().collect(),
    )
}

/// `a`, `b` and `c`, in backticks.
pub(super) fn names(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::fixtures::{breaking, compatible, demo, diff};
    use super::*;

    #[test]
    fn a_removed_module_breaks() {
        let old = demo();
        let mut new = demo();
        new.modules.retain(|m| m.name != "ticker");
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::ModuleRemoved),
            ["module `ticker` removed"]
        );
    }

    #[test]
    fn a_renamed_module_breaks_and_is_named_as_a_rename() {
        let old = demo();
        let mut new = demo();
        new.modules
            .iter_mut()
            .find(|m| m.name == "users")
            .unwrap()
            .name = "people".to_owned();
        let report = diff(&old, &new);
        let renames = breaking(&report, ChangeKind::ModuleRenamed);
        assert_eq!(renames.len(), 1, "{report:#?}");
        assert!(
            renames[0].starts_with("module `users` renamed to `people`"),
            "{renames:?}"
        );
        assert!(breaking(&report, ChangeKind::ModuleRemoved).is_empty());
        assert!(compatible(&report, ChangeKind::ModuleAdded).is_empty());
    }

    #[test]
    fn an_added_module_is_compatible() {
        let old = demo();
        let mut new = demo();
        new.modules.push(
            serde_json::from_value(json!({
                "name": "mailer", "deps": [], "capabilities": ["stateful"], "placement": "local"
            }))
            .unwrap(),
        );
        let report = diff(&old, &new);
        assert!(!report.is_breaking(), "{report:#?}");
        assert_eq!(
            compatible(&report, ChangeKind::ModuleAdded),
            ["module `mailer` added"]
        );
    }

    #[test]
    fn changed_dependencies_break_naming_what_was_added_and_removed() {
        let old = demo();
        let mut new = demo();
        new.modules
            .iter_mut()
            .find(|m| m.name == "ticker")
            .unwrap()
            .deps = vec!["users".to_owned()];
        let report = diff(&old, &new);
        let changes = breaking(&report, ChangeKind::DependenciesChanged);
        assert_eq!(changes.len(), 1);
        assert!(
            changes[0].contains("module `ticker`")
                && changes[0].contains("now also on `users`")
                && changes[0].contains("no longer on `audit`"),
            "{changes:?}"
        );
    }

    #[test]
    fn placement_and_capability_changes_are_compatible() {
        let old = demo();
        let mut new = demo();
        let calculator = new
            .modules
            .iter_mut()
            .find(|m| m.name == "calculator")
            .unwrap();
        calculator.placement = "local".to_owned();
        calculator.capabilities.push("stateful".to_owned());
        let report = diff(&old, &new);
        assert!(!report.is_breaking(), "{report:#?}");
        assert_eq!(
            compatible(&report, ChangeKind::PlacementChanged),
            ["module `calculator` moved from placement `oop` to `local`"]
        );
        assert_eq!(
            compatible(&report, ChangeKind::CapabilitiesChanged),
            ["capabilities of module `calculator`: gained `stateful`"]
        );
    }
}
