//! REST routes and operation ids that went, came, moved or were renamed; the operations of
//! routes on both sides are compared in [`operations`](super::operations).

use std::collections::{BTreeMap, HashMap};

use super::operations::{self, Side};
use super::path::shape;
use super::{ChangeKind, DiffReport};
use crate::bootstrap::HostManifest;

/// A route as clients see it: the method and the path with its parameters' names left
/// out (`/users/{id}` and `/users/{user_id}` are one route).
type Key = (String, String);

/// One route of a manifest, with the module serving it.
struct Route<'a> {
    module: &'a str,
    path: &'a str,
    method: &'a str,
    operation_id: Option<&'a str>,
}

impl Route<'_> {
    fn label(&self) -> String {
        match self.operation_id {
            Some(id) => format!("`{} {}` (`{id}`)", self.method, self.path),
            None => format!("`{} {}`", self.method, self.path),
        }
    }
}

pub(super) fn compare(old: &HostManifest, new: &HostManifest, report: &mut DiffReport) {
    let before = routes(old);
    let after = routes(new);
    let after_by_id: HashMap<&str, &Key> = after
        .iter()
        .filter_map(|(key, route)| route.operation_id.map(|id| (id, key)))
        .collect();
    let mut moved_to: Vec<&Key> = Vec::new();

    for (key, was) in &before {
        if let Some(now) = after.get(key) {
            compare_route(was, now, old, new, report);
            continue;
        }
        // The route is gone; its operation may live on under another route.
        let moved = was
            .operation_id
            .and_then(|id| after_by_id.get(id).map(|&key| (key, &after[key])))
            .filter(|(key, _)| !before.contains_key(*key));
        match moved {
            Some((key, now)) => {
                moved_to.push(key);
                report.breaks(
                    ChangeKind::RouteMoved,
                    format!(
                        "route {} moved to `{} {}`: clients still call the old route",
                        was.label(),
                        now.method,
                        now.path
                    ),
                );
                compare_operations(was, now, old, new, report);
            }
            None => report.breaks(
                ChangeKind::RouteRemoved,
                format!("route {} removed", was.label()),
            ),
        }
    }
    for (key, route) in &after {
        if !before.contains_key(key) && !moved_to.contains(&key) {
            report.allows(
                ChangeKind::RouteAdded,
                format!("route {} added", route.label()),
            );
        }
    }
}

fn compare_route(
    was: &Route<'_>,
    now: &Route<'_>,
    old: &HostManifest,
    new: &HostManifest,
    report: &mut DiffReport,
) {
    let route = format!("`{} {}`", now.method, now.path);
    match (was.operation_id, now.operation_id) {
        (Some(before), Some(after)) if before != after => report.breaks(
            ChangeKind::OperationIdChanged,
            format!(
                "operation id of {route} changed from `{before}` to `{after}` (generated \
                 clients call operations by id)"
            ),
        ),
        (Some(before), None) => report.breaks(
            ChangeKind::OperationIdChanged,
            format!("operation id `{before}` removed: {route} is no longer documented"),
        ),
        (None, Some(after)) => report.allows(
            ChangeKind::OperationIdChanged,
            format!("{route} is now documented as `{after}`"),
        ),
        _ => {}
    }
    if was.module != now.module {
        report.allows(
            ChangeKind::RouteOwnerChanged,
            format!(
                "{route} is now served by module `{}` (was `{}`)",
                now.module, was.module
            ),
        );
    }
    compare_operations(was, now, old, new, report);
}

fn compare_operations(
    was: &Route<'_>,
    now: &Route<'_>,
    old: &HostManifest,
    new: &HostManifest,
    report: &mut DiffReport,
) {
    let (Some(before), Some(after)) = (was.operation_id, now.operation_id) else {
        return;
    };
    let (Some(before_op), Some(after_op)) = (old.operations.get(before), new.operations.get(after))
    else {
        // A manifest written before operations were listed: nothing to compare.
        return;
    };
    operations::compare(
        &Side {
            manifest: old,
            path: was.path,
            operation: before_op,
        },
        &Side {
            manifest: new,
            path: now.path,
            operation: after_op,
        },
        &now.label(),
        report,
    );
}

/// Every module's routes by [`Key`], sorted.
fn routes(manifest: &HostManifest) -> BTreeMap<Key, Route<'_>> {
    let mut routes = BTreeMap::new();
    for module in &manifest.modules {
        for route in &module.rest_routes {
            routes.insert(
                (route.method.to_uppercase(), shape(&route.path)),
                Route {
                    module: &module.name,
                    path: &route.path,
                    method: &route.method,
                    operation_id: route.operation_id.as_deref(),
                },
            );
        }
    }
    routes
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{breaking, compatible, demo, diff, module};
    use super::*;

    #[test]
    fn a_removed_route_breaks() {
        let old = demo();
        let mut new = demo();
        module(&mut new, "users")
            .rest_routes
            .retain(|r| r.method != "GET" || r.path != "/v1/users/{id}");
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::RouteRemoved),
            ["route `GET /v1/users/{id}` (`users.get`) removed"]
        );
    }

    #[test]
    fn a_route_renamed_to_another_path_breaks_as_a_move() {
        let old = demo();
        let mut new = demo();
        let route = module(&mut new, "users")
            .rest_routes
            .iter_mut()
            .find(|r| r.operation_id.as_deref() == Some("users.get"))
            .unwrap();
        route.path = "/v1/people/{id}".to_owned();
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::RouteMoved),
            [
                "route `GET /v1/users/{id}` (`users.get`) moved to `GET /v1/people/{id}`: \
              clients still call the old route"
            ]
        );
        assert!(breaking(&report, ChangeKind::RouteRemoved).is_empty());
        assert!(compatible(&report, ChangeKind::RouteAdded).is_empty());
    }

    #[test]
    fn a_renamed_operation_id_breaks() {
        let old = demo();
        let mut new = demo();
        let route = module(&mut new, "calculator-gateway")
            .rest_routes
            .first_mut()
            .unwrap();
        route.operation_id = Some("calculator.add".to_owned());
        let op = new.operations.remove("calc.add").unwrap();
        new.operations.insert("calculator.add".to_owned(), op);
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::OperationIdChanged),
            [
                "operation id of `GET /v1/calc/add` changed from `calc.add` to `calculator.add` \
              (generated clients call operations by id)"
            ]
        );
        assert_eq!(report.breaking.len(), 1, "{report:#?}");
    }

    #[test]
    fn a_removed_operation_id_breaks_and_a_new_one_does_not() {
        let old = demo();
        let mut new = demo();
        module(&mut new, "calculator-gateway").rest_routes[0].operation_id = None;
        module(&mut new, "api-gateway").rest_routes[0].operation_id = Some("ready".to_owned());
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::OperationIdChanged),
            ["operation id `calc.add` removed: `GET /v1/calc/add` is no longer documented"]
        );
        assert_eq!(
            compatible(&report, ChangeKind::OperationIdChanged),
            ["`GET /readyz` is now documented as `ready`"]
        );
    }

    #[test]
    fn renaming_a_path_parameter_changes_nothing() {
        let old = demo();
        let mut new = demo();
        module(&mut new, "users").rest_routes[2].path = "/v1/users/{user_id}".to_owned();
        new.operations.get_mut("users.get").unwrap().parameters[0].name = "user_id".to_owned();
        let report = diff(&old, &new);
        assert_eq!(report.breaking, [], "{report:#?}");
    }

    #[test]
    fn added_routes_and_moved_owners_are_compatible() {
        let old = demo();
        let mut new = demo();
        let route = module(&mut new, "calculator-gateway").rest_routes.remove(0);
        module(&mut new, "users").rest_routes.push(route);
        module(&mut new, "users")
            .rest_routes
            .push(crate::bootstrap::RouteManifest {
                path: "/v1/users/{id}".to_owned(),
                method: "DELETE".to_owned(),
                operation_id: Some("users.delete".to_owned()),
            });
        let report = diff(&old, &new);
        assert!(!report.is_breaking(), "{report:#?}");
        assert_eq!(
            compatible(&report, ChangeKind::RouteAdded),
            ["route `DELETE /v1/users/{id}` (`users.delete`) added"]
        );
        assert_eq!(
            compatible(&report, ChangeKind::RouteOwnerChanged),
            ["`GET /v1/calc/add` is now served by module `users` (was `calculator-gateway`)"]
        );
    }
}
