//! The manifest's types: what `graph --format json` writes and `diff` reads.
//!
//! Every field added after the first release is optional when reading (`#[serde(default)]`),
//! so that `diff` reads manifests written by older hosts; unknown fields are ignored, so that
//! older hosts read newer manifests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Every module of a host in start order, with the REST operations and schemas its modules
/// document: a stable, diffable description (`graph --format json`).
///
/// ```
/// use modkit::bootstrap::HostManifest;
///
/// let manifest: HostManifest = serde_json::from_value(serde_json::json!({
///     "modules": [{ "name": "audit", "deps": [], "capabilities": [], "placement": "local" }]
/// }))
/// .unwrap();
/// assert_eq!(manifest.modules[0].name, "audit");
/// assert!(manifest.operations.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HostManifest {
    /// The modules, each after all its dependencies.
    pub modules: Vec<ModuleManifest>,
    /// Every documented REST operation, by operation id: what it takes and answers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operations: BTreeMap<String, OperationManifest>,
    /// The named schemas the operations' `$ref`s point at
    /// (`#/components/schemas/<name>`), as the OpenAPI document has them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schemas: BTreeMap<String, Value>,
}

/// One module of a [`HostManifest`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModuleManifest {
    /// The module's name.
    pub name: String,
    /// The modules it depends on, sorted.
    pub deps: Vec<String>,
    /// Its capabilities, by macro keyword.
    pub capabilities: Vec<String>,
    /// `local` or `oop` (`modules.<name>.runtime.type`).
    pub placement: String,
    /// Its schema history, in version order (modules with the `db` capability).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub migrations: Vec<MigrationManifest>,
    /// Its REST routes, by path then method, once
    /// [`HostManifest::with_api`](super::HostManifest::with_api) added them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rest_routes: Vec<RouteManifest>,
    /// The gRPC services it offers, sorted, once
    /// [`HostManifest::with_api`](super::HostManifest::with_api) added them. Only the
    /// services: a `RegisterGrpcServiceFn` does not say which methods its service has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grpc_services: Vec<String>,
    /// Declared dependencies that provide clients of which its `init` took none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unused_deps: Vec<String>,
}

/// One REST route of a [`ModuleManifest`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RouteManifest {
    /// Its path, as the module wrote it.
    pub path: String,
    /// Its HTTP method.
    pub method: String,
    /// Its OpenAPI operation id, when the route is documented; the operation is then in
    /// [`HostManifest::operations`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
}

/// One migration of a [`ModuleManifest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationManifest {
    /// Its version.
    pub version: i64,
    /// Its name.
    pub name: String,
    /// What the database's history records to notice a changed migration
    /// ([`Migration::checksum`](crate::Migration::checksum)); absent in manifests written
    /// before checksums were listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
}

/// One documented REST operation of a [`HostManifest`]: its side of the contract with
/// clients, from the OpenAPI document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OperationManifest {
    /// Its parameters, by location then name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ParameterManifest>,
    /// The body it takes, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<RequestBodyManifest>,
    /// What it answers, by status code (`"200"`, `"404"`, `"default"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub responses: BTreeMap<String, ResponseManifest>,
}

/// One parameter of an [`OperationManifest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterManifest {
    /// Its name.
    pub name: String,
    /// Where it goes: `path`, `query`, `header` or `cookie`.
    #[serde(rename = "in")]
    pub location: String,
    /// Whether a request must carry it.
    #[serde(default)]
    pub required: bool,
    /// Its JSON schema (`null` when undocumented).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub schema: Value,
}

/// The request body of an [`OperationManifest`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestBodyManifest {
    /// Whether a request must carry a body.
    #[serde(default)]
    pub required: bool,
    /// Its schema by media type (`application/json`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub content: BTreeMap<String, Value>,
}

/// One documented response of an [`OperationManifest`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseManifest {
    /// Its body's schema by media type; empty for a response without a body.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub content: BTreeMap<String, Value>,
}
