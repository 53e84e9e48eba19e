//! A manifest shaped like the demo host's, and helpers to read a report, for the unit tests.

use serde_json::json;

use super::{ChangeKind, DiffReport};
use crate::bootstrap::{HostManifest, ModuleManifest};

/// The demo host's modules, two users operations and the calculator's, with their schemas.
pub(super) fn demo() -> HostManifest {
    let problem = json!({ "application/problem+json": { "$ref": "#/components/schemas/Problem" } });
    let user = json!({ "application/json": { "$ref": "#/components/schemas/User" } });
    let id = json!({ "name": "id", "in": "path", "required": true,
                     "schema": { "type": "string", "format": "uuid" } });
    serde_json::from_value(json!({
        "modules": [
            { "name": "api-gateway", "deps": [], "capabilities": ["system", "stateful", "rest_host"],
              "placement": "local",
              "rest_routes": [{ "path": "/readyz", "method": "GET" }] },
            { "name": "audit", "deps": [], "capabilities": [], "placement": "local" },
            { "name": "calculator", "deps": [], "capabilities": ["grpc"], "placement": "oop",
              "grpc_services": ["modkit.examples.calculator.v1.Calculator"] },
            { "name": "calculator-gateway", "deps": ["calculator"], "capabilities": ["rest"],
              "placement": "local",
              "rest_routes": [{ "path": "/v1/calc/add", "method": "GET", "operation_id": "calc.add" }] },
            { "name": "ticker", "deps": ["audit"], "capabilities": ["stateful"], "placement": "local" },
            { "name": "users", "deps": ["audit"], "capabilities": ["db", "rest"], "placement": "local",
              "migrations": [
                  { "version": 1, "name": "create users", "checksum": "1".repeat(64) },
                  { "version": 2, "name": "add email index", "checksum": "2".repeat(64) }
              ],
              "rest_routes": [
                  { "path": "/v1/users", "method": "GET", "operation_id": "users.list" },
                  { "path": "/v1/users", "method": "POST", "operation_id": "users.create" },
                  { "path": "/v1/users/{id}", "method": "GET", "operation_id": "users.get" }
              ] }
        ],
        "operations": {
            "calc.add": {
                "parameters": [
                    { "name": "a", "in": "query", "required": true, "schema": { "type": "integer", "format": "int64" } },
                    { "name": "b", "in": "query", "required": true, "schema": { "type": "integer", "format": "int64" } }
                ],
                "responses": {
                    "200": { "content": { "application/json": { "$ref": "#/components/schemas/Sum" } } },
                    "400": { "content": problem }
                }
            },
            "users.list": {
                "parameters": [
                    { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100 } },
                    { "name": "cursor", "in": "query", "schema": { "type": "string" } }
                ],
                "responses": {
                    "200": { "content": { "application/json": { "$ref": "#/components/schemas/UserPage" } } }
                }
            },
            "users.create": {
                "request_body": { "required": true, "content": {
                    "application/json": { "$ref": "#/components/schemas/NewUser" } } },
                "responses": { "201": { "content": user }, "422": { "content": problem } }
            },
            "users.get": {
                "parameters": [id],
                "responses": { "200": { "content": user }, "404": { "content": problem } }
            }
        },
        "schemas": {
            "NewUser": { "type": "object", "required": ["name", "email"], "properties": {
                "name": { "type": "string", "maxLength": 200 },
                "email": { "type": "string", "format": "email" },
                "nickname": { "type": ["string", "null"] }
            } },
            "User": { "type": "object", "required": ["id", "name", "email"], "properties": {
                "id": { "type": "string", "format": "uuid" },
                "name": { "type": "string" },
                "email": { "type": "string" },
                "role": { "type": "string", "enum": ["admin", "member"] }
            } },
            "UserPage": { "type": "object", "required": ["items"], "properties": {
                "items": { "type": "array", "items": { "$ref": "#/components/schemas/User" } },
                "next_cursor": { "type": ["string", "null"] }
            } },
            "Sum": { "type": "object", "required": ["result"], "properties": {
                "result": { "type": "integer", "format": "int64" } } },
            "Problem": { "type": "object", "required": ["status"], "properties": {
                "status": { "type": "integer" } } }
        }
    }))
    .expect("the fixture is a manifest")
}

pub(super) fn diff(old: &HostManifest, new: &HostManifest) -> DiffReport {
    DiffReport::between(old, new)
}

/// `manifest`'s module `name`.
pub(super) fn module<'a>(manifest: &'a mut HostManifest, name: &str) -> &'a mut ModuleManifest {
    manifest
        .modules
        .iter_mut()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no module `{name}` in the fixture"))
}

/// The messages of the breaking changes of `kind`.
pub(super) fn breaking(report: &DiffReport, kind: ChangeKind) -> Vec<String> {
    of_kind(&report.breaking, kind)
}

/// The messages of the compatible changes of `kind`.
pub(super) fn compatible(report: &DiffReport, kind: ChangeKind) -> Vec<String> {
    of_kind(&report.compatible, kind)
}

fn of_kind(changes: &[super::Change], kind: ChangeKind) -> Vec<String> {
    changes
        .iter()
        .filter(|change| change.kind == kind)
        .map(|change| change.message.clone())
        .collect()
}

#[test]
fn a_manifest_against_itself_has_no_changes() {
    let report = diff(&demo(), &demo());
    assert_eq!(report, DiffReport::default());
    assert_eq!(report.to_text(), "no breaking changes\n");
}
