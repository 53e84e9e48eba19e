//! What `diff` found: breaking and compatible changes, as text or JSON.

use serde::Serialize;

use super::{cycles, grpc, migrations, modules, routes};
use crate::bootstrap::HostManifest;

/// The differences between two manifests (`graph --format json`) of a host, split into
/// changes that break clients or a host's start-up and changes that do not.
///
/// ```
/// use modkit::bootstrap::{ChangeKind, DiffReport, HostManifest};
///
/// let manifest = |deps: &[&str]| -> HostManifest {
///     serde_json::from_value(serde_json::json!({ "modules": [
///         { "name": "audit", "deps": [], "capabilities": [], "placement": "local" },
///         { "name": "ticker", "deps": deps, "capabilities": [], "placement": "local" },
///     ] }))
///     .unwrap()
/// };
/// let report = DiffReport::between(&manifest(&["audit"]), &manifest(&[]));
/// assert!(report.is_breaking());
/// assert_eq!(report.breaking[0].kind, ChangeKind::DependenciesChanged);
/// assert!(DiffReport::between(&manifest(&[]), &manifest(&[])).breaking.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// Changes that break clients (removed routes, incompatible schemas, removed gRPC
    /// services) or the host's start-up on an existing database (changed or removed
    /// migrations), or its deployment (removed or renamed modules, changed dependencies,
    /// new dependency cycles).
    pub breaking: Vec<Change>,
    /// Changes that existing clients and databases cope with: additions, optional fields,
    /// wider request types, placements.
    pub compatible: Vec<Change>,
}

/// One difference between two manifests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of difference it is.
    pub kind: ChangeKind,
    /// What changed and, for a breaking change, why it breaks.
    pub message: String,
}

/// The kinds of [`Change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// A module is gone.
    ModuleRemoved,
    /// A module is gone and a module with the same capabilities, dependencies, routes,
    /// services and migrations took its place under another name.
    ModuleRenamed,
    /// A module is new.
    ModuleAdded,
    /// A module depends on other modules than before.
    DependenciesChanged,
    /// Modules depend on each other in a circle that the old manifest did not have.
    DependencyCycle,
    /// A module runs in another placement (`local`, `oop`).
    PlacementChanged,
    /// A module declares other capabilities.
    CapabilitiesChanged,
    /// A REST route (method and path) is gone.
    RouteRemoved,
    /// A REST route is new.
    RouteAdded,
    /// An operation id now names another route.
    RouteMoved,
    /// A route's operation id changed or is gone.
    OperationIdChanged,
    /// Another module serves a route.
    RouteOwnerChanged,
    /// An operation takes a new parameter.
    ParameterAdded,
    /// An operation no longer takes a parameter.
    ParameterRemoved,
    /// A parameter became required or optional.
    ParameterRequired,
    /// A parameter's schema changed.
    ParameterSchemaChanged,
    /// An operation's request body appeared, went, became required or changed media type.
    RequestBodyChanged,
    /// An operation's request body schema changed.
    RequestSchemaChanged,
    /// An operation no longer documents a response status.
    ResponseStatusRemoved,
    /// An operation documents a new response status.
    ResponseStatusAdded,
    /// A response's media types or schema changed.
    ResponseSchemaChanged,
    /// A gRPC service is gone.
    GrpcServiceRemoved,
    /// A gRPC service is new.
    GrpcServiceAdded,
    /// Another module offers a gRPC service.
    GrpcServiceMoved,
    /// A migration is gone.
    MigrationRemoved,
    /// A migration's checksum changed.
    MigrationChanged,
    /// A new migration sits below a version that databases may already have applied.
    MigrationInserted,
    /// A new migration follows the existing ones.
    MigrationAdded,
    /// A migration has a new name but the same checksum.
    MigrationRenamed,
}

impl DiffReport {
    /// Compares `old` with `new`: a pure function of the two manifests.
    pub fn between(old: &HostManifest, new: &HostManifest) -> Self {
        let mut report = Self::default();
        modules::compare(old, new, &mut report);
        cycles::compare(old, new, &mut report);
        routes::compare(old, new, &mut report);
        grpc::compare(old, new, &mut report);
        migrations::compare(old, new, &mut report);
        report
    }

    /// Whether anything breaks.
    pub fn is_breaking(&self) -> bool {
        !self.breaking.is_empty()
    }

    /// The report for people: the breaking changes, then the compatible ones.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.breaking.is_empty() {
            out.push_str("no breaking changes\n");
        } else {
            list(&mut out, "breaking", &self.breaking);
        }
        if !self.compatible.is_empty() {
            list(&mut out, "compatible", &self.compatible);
        }
        out
    }

    /// The report as pretty-printed JSON: `{"breaking": [..], "compatible": [..]}`, each
    /// change a `kind` and a `message`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
    }

    pub(super) fn breaks(&mut self, kind: ChangeKind, message: String) {
        self.breaking.push(Change { kind, message });
    }

    pub(super) fn allows(&mut self, kind: ChangeKind, message: String) {
        self.compatible.push(Change { kind, message });
    }

    /// Records `message` as breaking or compatible.
    pub(super) fn record(&mut self, breaking: bool, kind: ChangeKind, message: String) {
        if breaking {
            self.breaks(kind, message);
        } else {
            self.allows(kind, message);
        }
    }
}

fn list(out: &mut String, what: &str, changes: &[Change]) {
    let plural = if changes.len() == 1 { "" } else { "s" };
    out.push_str(&format!("{} {what} change{plural}:\n", changes.len()));
    for change in changes {
        out.push_str(&format!("  - {}\n", change.message));
    }
}
