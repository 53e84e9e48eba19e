//! One REST operation against its earlier self: parameters, request body and responses.

use std::collections::BTreeMap;

use super::path::path_parameters;
use super::schemas::{Direction, compare as compare_schemas};
use super::{ChangeKind, DiffReport};
use crate::bootstrap::{HostManifest, OperationManifest, ParameterManifest};

/// One side of the comparison: the operation, its route's path and the manifest whose
/// schemas its `$ref`s name.
pub(super) struct Side<'a> {
    pub(super) manifest: &'a HostManifest,
    pub(super) path: &'a str,
    pub(super) operation: &'a OperationManifest,
}

/// Compares the operation `label` (`` `POST /v1/users` (`users.create`) ``).
pub(super) fn compare(old: &Side<'_>, new: &Side<'_>, label: &str, report: &mut DiffReport) {
    parameters(old, new, label, report);
    request_body(old, new, label, report);
    responses(old, new, label, report);
}

/// Parameters by location and name, path parameters by position: renaming `{id}` to
/// `{user_id}` changes nothing for clients.
fn parameters(old: &Side<'_>, new: &Side<'_>, label: &str, report: &mut DiffReport) {
    let before = keyed(old);
    let after = keyed(new);
    for (key, was) in &before {
        let what = describe(was);
        let Some(now) = after.get(key) else {
            // Servers ignore headers and cookies they do not know; an unknown query
            // parameter may be refused (modkit's `Query` extractors can deny them).
            let breaking = !matches!(was.location.as_str(), "header" | "cookie");
            let why = if breaking {
                ": clients that still send it may be refused"
            } else {
                ""
            };
            report.record(
                breaking,
                ChangeKind::ParameterRemoved,
                format!("{label}: {what} removed{why}"),
            );
            continue;
        };
        if !was.required && now.required {
            report.breaks(
                ChangeKind::ParameterRequired,
                format!("{label}: {what} is now required"),
            );
        } else if was.required && !now.required {
            report.allows(
                ChangeKind::ParameterRequired,
                format!("{label}: {what} is now optional"),
            );
        }
        for finding in compare_schemas(
            old.manifest,
            new.manifest,
            &was.schema,
            &now.schema,
            Direction::Request,
        ) {
            report.record(
                finding.breaking,
                ChangeKind::ParameterSchemaChanged,
                format!("{label}: {what}: {finding}"),
            );
        }
    }
    for (key, now) in &after {
        if before.contains_key(key) {
            continue;
        }
        let what = describe(now);
        if now.required {
            report.breaks(
                ChangeKind::ParameterAdded,
                format!("{label}: new required {what}"),
            );
        } else {
            report.allows(
                ChangeKind::ParameterAdded,
                format!("{label}: new optional {what}"),
            );
        }
    }
}

fn keyed<'a>(side: &Side<'a>) -> BTreeMap<(String, String), &'a ParameterManifest> {
    let positions = path_parameters(side.path);
    side.operation
        .parameters
        .iter()
        .map(|parameter| {
            let name = match positions.iter().position(|&p| p == parameter.name) {
                Some(at) if parameter.location == "path" => format!("#{at}"),
                _ => parameter.name.clone(),
            };
            ((parameter.location.clone(), name), parameter)
        })
        .collect()
}

fn describe(parameter: &ParameterManifest) -> String {
    format!("{} parameter `{}`", parameter.location, parameter.name)
}

fn request_body(old: &Side<'_>, new: &Side<'_>, label: &str, report: &mut DiffReport) {
    let kind = ChangeKind::RequestBodyChanged;
    let (was, now) = match (&old.operation.request_body, &new.operation.request_body) {
        (None, None) => return,
        (None, Some(now)) => {
            let message = if now.required {
                format!("{label}: now requires a request body")
            } else {
                format!("{label}: now takes an optional request body")
            };
            report.record(now.required, kind, message);
            return;
        }
        (Some(_), None) => {
            report.allows(kind, format!("{label}: no longer takes a request body"));
            return;
        }
        (Some(was), Some(now)) => (was, now),
    };
    if !was.required && now.required {
        report.breaks(kind, format!("{label}: the request body is now required"));
    }
    for (media, before) in &was.content {
        let Some(after) = now.content.get(media) else {
            report.breaks(
                kind,
                format!("{label}: the request body is no longer accepted as `{media}`"),
            );
            continue;
        };
        for finding in compare_schemas(
            old.manifest,
            new.manifest,
            before,
            after,
            Direction::Request,
        ) {
            report.record(
                finding.breaking,
                ChangeKind::RequestSchemaChanged,
                format!("{label}: request body (`{media}`): {finding}"),
            );
        }
    }
    for media in now.content.keys().filter(|m| !was.content.contains_key(*m)) {
        report.allows(
            kind,
            format!("{label}: the request body is also accepted as `{media}`"),
        );
    }
}

fn responses(old: &Side<'_>, new: &Side<'_>, label: &str, report: &mut DiffReport) {
    let (before, after) = (&old.operation.responses, &new.operation.responses);
    for (status, was) in before {
        let Some(now) = after.get(status) else {
            // Clients branch on success and redirect statuses; an error status that is no
            // longer documented (or `default`) still arrives as an error.
            let breaking = status.starts_with('2') || status.starts_with('3');
            let why = if breaking {
                " (clients may rely on it)"
            } else {
                ""
            };
            report.record(
                breaking,
                ChangeKind::ResponseStatusRemoved,
                format!("{label}: response {status} removed{why}"),
            );
            continue;
        };
        for (media, before) in &was.content {
            let Some(after) = now.content.get(media) else {
                report.breaks(
                    ChangeKind::ResponseSchemaChanged,
                    format!("{label}: response {status} is no longer sent as `{media}`"),
                );
                continue;
            };
            for finding in compare_schemas(
                old.manifest,
                new.manifest,
                before,
                after,
                Direction::Response,
            ) {
                report.record(
                    finding.breaking,
                    ChangeKind::ResponseSchemaChanged,
                    format!("{label}: response {status} (`{media}`): {finding}"),
                );
            }
        }
        for media in now.content.keys().filter(|m| !was.content.contains_key(*m)) {
            report.allows(
                ChangeKind::ResponseSchemaChanged,
                format!("{label}: response {status} may also be sent as `{media}`"),
            );
        }
    }
    for status in after.keys().filter(|s| !before.contains_key(*s)) {
        report.allows(
            ChangeKind::ResponseStatusAdded,
            format!("{label}: response {status} added"),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::fixtures::{breaking, compatible, demo, diff};
    use super::*;
    use crate::bootstrap::{RequestBodyManifest, ResponseManifest};

    fn operation<'a>(manifest: &'a mut HostManifest, id: &str) -> &'a mut OperationManifest {
        manifest.operations.get_mut(id).unwrap()
    }

    fn parameter(name: &str, location: &str, required: bool) -> ParameterManifest {
        ParameterManifest {
            name: name.to_owned(),
            location: location.to_owned(),
            required,
            schema: json!({ "type": "string" }),
        }
    }

    #[test]
    fn a_new_required_parameter_breaks_and_an_optional_one_does_not() {
        let old = demo();
        let mut new = demo();
        let list = operation(&mut new, "users.list");
        list.parameters.push(parameter("tenant", "query", true));
        list.parameters.push(parameter("sort", "query", false));
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::ParameterAdded),
            ["`GET /v1/users` (`users.list`): new required query parameter `tenant`"]
        );
        assert_eq!(
            compatible(&report, ChangeKind::ParameterAdded),
            ["`GET /v1/users` (`users.list`): new optional query parameter `sort`"]
        );
    }

    #[test]
    fn an_optional_parameter_made_required_breaks() {
        let old = demo();
        let mut new = demo();
        operation(&mut new, "users.list").parameters[0].required = true;
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::ParameterRequired),
            ["`GET /v1/users` (`users.list`): query parameter `limit` is now required"]
        );
    }

    #[test]
    fn a_removed_query_parameter_breaks_and_a_removed_header_does_not() {
        let mut old = demo();
        operation(&mut old, "users.list")
            .parameters
            .push(parameter("x-trace", "header", false));
        let mut new = demo();
        operation(&mut new, "users.list").parameters.remove(1);
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::ParameterRemoved),
            [
                "`GET /v1/users` (`users.list`): query parameter `cursor` removed: clients that \
              still send it may be refused"
            ]
        );
        assert_eq!(
            compatible(&report, ChangeKind::ParameterRemoved),
            ["`GET /v1/users` (`users.list`): header parameter `x-trace` removed"]
        );
    }

    #[test]
    fn a_parameter_of_another_type_breaks() {
        let old = demo();
        let mut new = demo();
        operation(&mut new, "calc.add").parameters[0].schema = json!({ "type": "string" });
        let report = diff(&old, &new);
        let changes = breaking(&report, ChangeKind::ParameterSchemaChanged);
        assert_eq!(
            changes[0],
            "`GET /v1/calc/add` (`calc.add`): query parameter `a`: type changed from \
             `integer` to `string`"
        );
    }

    #[test]
    fn a_body_that_becomes_required_or_loses_its_media_type_breaks() {
        let mut old = demo();
        operation(&mut old, "users.create")
            .request_body
            .as_mut()
            .unwrap()
            .required = false;
        let mut new = demo();
        let body = operation(&mut new, "users.create")
            .request_body
            .as_mut()
            .unwrap();
        let schema = body.content.remove("application/json").unwrap();
        body.content.insert("application/cbor".to_owned(), schema);
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::RequestBodyChanged),
            [
                "`POST /v1/users` (`users.create`): the request body is now required",
                "`POST /v1/users` (`users.create`): the request body is no longer accepted as \
                 `application/json`"
            ]
        );
        assert_eq!(
            compatible(&report, ChangeKind::RequestBodyChanged),
            [
                "`POST /v1/users` (`users.create`): the request body is also accepted as \
              `application/cbor`"
            ]
        );
    }

    #[test]
    fn a_new_required_body_breaks() {
        let old = demo();
        let mut new = demo();
        operation(&mut new, "calc.add").request_body = Some(RequestBodyManifest {
            required: true,
            content: [("application/json".to_owned(), json!({ "type": "object" }))].into(),
        });
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::RequestBodyChanged),
            ["`GET /v1/calc/add` (`calc.add`): now requires a request body"]
        );
    }

    #[test]
    fn a_removed_success_status_breaks_and_a_removed_error_status_does_not() {
        let old = demo();
        let mut new = demo();
        let create = operation(&mut new, "users.create");
        let created = create.responses.remove("201").unwrap();
        create.responses.insert("200".to_owned(), created);
        create.responses.remove("422");
        create
            .responses
            .insert("409".to_owned(), ResponseManifest::default());
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::ResponseStatusRemoved),
            ["`POST /v1/users` (`users.create`): response 201 removed (clients may rely on it)"]
        );
        assert_eq!(
            compatible(&report, ChangeKind::ResponseStatusRemoved),
            ["`POST /v1/users` (`users.create`): response 422 removed"]
        );
        assert_eq!(
            compatible(&report, ChangeKind::ResponseStatusAdded),
            [
                "`POST /v1/users` (`users.create`): response 200 added",
                "`POST /v1/users` (`users.create`): response 409 added"
            ]
        );
    }

    #[test]
    fn a_response_no_longer_sent_as_json_breaks() {
        let old = demo();
        let mut new = demo();
        operation(&mut new, "calc.add")
            .responses
            .get_mut("200")
            .unwrap()
            .content
            .clear();
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::ResponseSchemaChanged),
            [
                "`GET /v1/calc/add` (`calc.add`): response 200 is no longer sent as `application/json`"
            ]
        );
    }

    #[test]
    fn schema_changes_name_the_operation_status_and_field() {
        let old = demo();
        let mut new = demo();
        let user = new.schemas.get_mut("User").unwrap();
        user["properties"].as_object_mut().unwrap().remove("email");
        let new_user = new.schemas.get_mut("NewUser").unwrap();
        new_user["required"] = json!(["name", "email", "nickname"]);
        let report = diff(&old, &new);
        let responses = breaking(&report, ChangeKind::ResponseSchemaChanged);
        assert!(
            responses.contains(
                &"`GET /v1/users/{id}` (`users.get`): response 200 (`application/json`): field \
                  `email`: removed: clients may read it"
                    .to_owned()
            ),
            "{responses:#?}"
        );
        assert!(
            responses.iter().any(|m| m.starts_with(
                "`GET /v1/users` (`users.list`): response 200 (`application/json`): field \
                 `items[].email`: removed"
            )),
            "{responses:#?}"
        );
        assert_eq!(
            breaking(&report, ChangeKind::RequestSchemaChanged),
            [
                "`POST /v1/users` (`users.create`): request body (`application/json`): field \
              `nickname`: now required"
            ]
        );
    }
}
