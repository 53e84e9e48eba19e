//! JSON schemas against their earlier selves, in the direction data flows.
//!
//! A request schema must still accept everything it accepted (new required fields, narrower
//! types, removed enum values and tighter limits break); a response schema must still only
//! produce what clients could read (removed or newly optional fields, wider types and new
//! enum values break). `$ref`s are followed into each manifest's own named schemas, `allOf`
//! parts are merged, and `oneOf`/`anyOf` variants are matched one by one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::bootstrap::HostManifest;

/// Which way data flows through the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    /// Clients write it: the new schema must accept what the old one accepted.
    Request,
    /// Clients read it: the new schema must produce only what the old one could.
    Response,
}

/// One difference between two schemas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Finding {
    /// Whether it breaks clients.
    pub(super) breaking: bool,
    /// Where, as a field path (`address.city`, `items[].id`); empty for the schema itself.
    at: String,
    /// What changed.
    what: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.what)
        } else {
            write!(f, "field `{}`: {}", self.at, self.what)
        }
    }
}

/// Compares schema `old` (whose `$ref`s name `old_manifest`'s schemas) with `new`.
pub(super) fn compare(
    old_manifest: &HostManifest,
    new_manifest: &HostManifest,
    old: &Value,
    new: &Value,
    direction: Direction,
) -> Vec<Finding> {
    let mut walk = Walk {
        old: &old_manifest.schemas,
        new: &new_manifest.schemas,
        direction,
        findings: Vec::new(),
        refs: Vec::new(),
    };
    walk.compare(old, new, "");
    walk.findings
}

/// How deep the comparison goes before it stops looking: far deeper than any real schema,
/// and a bound for schemas that nest without end through references taken at different
/// depths on the two sides.
const MAX_DEPTH: usize = 32;

struct Walk<'a> {
    old: &'a BTreeMap<String, Value>,
    new: &'a BTreeMap<String, Value>,
    direction: Direction,
    findings: Vec<Finding>,
    /// The pairs of named schemas being compared, outermost first: meeting a pair again
    /// means a recursive schema came round.
    refs: Vec<(String, String)>,
}

impl Walk<'_> {
    fn compare(&mut self, old: &Value, new: &Value, at: &str) {
        if self.refs.len() > MAX_DEPTH || at.matches('.').count() > MAX_DEPTH {
            return;
        }
        let (old, old_ref) = resolve(self.old, old);
        let (new, new_ref) = resolve(self.new, new);
        let pushed = match (old_ref, new_ref) {
            (Some(a), Some(b)) => {
                let pair = (a.to_owned(), b.to_owned());
                if self.refs.contains(&pair) {
                    return;
                }
                self.refs.push(pair);
                true
            }
            _ => false,
        };
        let old = flatten(self.old, old);
        let new = flatten(self.new, new);
        if variants(&old).is_some() || variants(&new).is_some() {
            self.compare_variants(&old, &new, at);
        } else if self.compare_types(&old, &new, at) {
            self.compare_enums(&old, &new, at);
            self.compare_limits(&old, &new, at);
            self.compare_properties(&old, &new, at);
            if let (Some(before), Some(after)) = (old.get("items"), new.get("items")) {
                self.compare(before, after, &join(at, "[]"));
            }
        }
        if pushed {
            self.refs.pop();
        }
    }

    fn found(&mut self, breaking: bool, at: &str, what: String) {
        self.findings.push(Finding {
            breaking,
            at: at.to_owned(),
            what,
        });
    }

    /// Records a type change; `false` when the types have nothing in common, so that
    /// comparing their fields would only repeat the news.
    fn compare_types(&mut self, old: &Value, new: &Value, at: &str) -> bool {
        let (before, after) = (types(old), types(new));
        if before == after {
            return true;
        }
        let shown = |set: &Option<BTreeSet<String>>| match set {
            None => "any type".to_owned(),
            Some(set) => set
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(" or "),
        };
        // What the reading side must cope with, against what it was ready for.
        let (written, readable) = match self.direction {
            Direction::Request => (&before, &after),
            Direction::Response => (&after, &before),
        };
        let breaking = match (written, readable) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(written), Some(readable)) => written.iter().any(|t| !accepts(readable, t)),
        };
        let what = format!("type changed from {} to {}", shown(&before), shown(&after));
        self.found(breaking, at, what);
        match (&before, &after) {
            (Some(before), Some(after)) => {
                before.iter().any(|t| accepts(after, t)) || after.iter().any(|t| accepts(before, t))
            }
            _ => true,
        }
    }

    fn compare_enums(&mut self, old: &Value, new: &Value, at: &str) {
        let (before, after) = (allowed(old), allowed(new));
        let shown = |values: &[&Value]| {
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (before, after) {
            (None, None) => {}
            (None, Some(after)) => self.found(
                self.direction == Direction::Request,
                at,
                format!("now limited to {}", shown(&after)),
            ),
            (Some(before), None) => self.found(
                self.direction == Direction::Response,
                at,
                format!("no longer limited to {}", shown(&before)),
            ),
            (Some(before), Some(after)) => {
                let removed: Vec<&Value> = before
                    .iter()
                    .filter(|v| !after.contains(v))
                    .copied()
                    .collect();
                let added: Vec<&Value> = after
                    .iter()
                    .filter(|v| !before.contains(v))
                    .copied()
                    .collect();
                if !removed.is_empty() {
                    self.found(
                        self.direction == Direction::Request,
                        at,
                        format!("value {} removed", shown(&removed)),
                    );
                }
                if !added.is_empty() {
                    self.found(
                        self.direction == Direction::Response,
                        at,
                        format!("value {} added", shown(&added)),
                    );
                }
            }
        }
    }

    /// Length, range and size limits, `pattern` and `format`. Tighter limits break
    /// requests; responses may tighten freely. A new or other `format` breaks both sides
    /// (servers validate it, clients parse by it).
    fn compare_limits(&mut self, old: &Value, new: &Value, at: &str) {
        if self.direction == Direction::Request {
            for (key, upper) in LIMITS {
                let (before, after) = (old.get(key), new.get(key));
                let (Some(after_n), before_n) = (
                    after.and_then(Value::as_f64),
                    before.and_then(Value::as_f64),
                ) else {
                    if let (Some(before), None) = (before, after) {
                        self.found(false, at, format!("`{key}` {before} dropped"));
                    }
                    continue;
                };
                let tighter =
                    before_n.is_none_or(|b| if upper { after_n < b } else { after_n > b });
                let differs = before_n != Some(after_n);
                if differs {
                    let was = before.map_or_else(|| "none".to_owned(), Value::to_string);
                    self.found(
                        tighter,
                        at,
                        format!("`{key}` changed from {was} to {}", new[key]),
                    );
                }
            }
            let (before, after) = (old.get("pattern"), new.get("pattern"));
            if after.is_some() && before != after {
                self.found(true, at, format!("`pattern` is now {}", new["pattern"]));
            } else if before.is_some() && after.is_none() {
                self.found(false, at, "`pattern` dropped".to_owned());
            }
        }
        let (before, after) = (old.get("format"), new.get("format"));
        if before != after {
            let shown = |v: Option<&Value>| v.map_or_else(|| "none".to_owned(), Value::to_string);
            let breaking = match self.direction {
                Direction::Request => after.is_some(),
                Direction::Response => before.is_some(),
            };
            self.found(
                breaking,
                at,
                format!(
                    "`format` changed from {} to {}",
                    shown(before),
                    shown(after)
                ),
            );
        }
    }

    fn compare_properties(&mut self, old: &Value, new: &Value, at: &str) {
        let empty = Map::new();
        let before = old
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let after = new
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let (was_required, now_required) = (required(old), required(new));
        let closed = new.get("additionalProperties") == Some(&Value::Bool(false));
        let request = self.direction == Direction::Request;
        for (name, was) in before {
            let field = join(at, name);
            let Some(now) = after.get(name) else {
                let (breaking, why) = match (request, closed) {
                    (false, _) => (true, ": clients may read it"),
                    (true, true) => (true, ": the schema refuses unknown fields"),
                    (true, false) => (false, ""),
                };
                self.found(breaking, &field, format!("removed{why}"));
                continue;
            };
            let (was_req, now_req) = (was_required.contains(name), now_required.contains(name));
            if was_req != now_req {
                let (breaking, what) = match (request, now_req) {
                    (true, true) => (true, "now required"),
                    (true, false) => (false, "now optional"),
                    (false, false) => (true, "may now be missing"),
                    (false, true) => (false, "now always present"),
                };
                self.found(breaking, &field, what.to_owned());
            }
            self.compare(was, now, &field);
        }
        for name in after.keys().filter(|n| !before.contains_key(*n)) {
            let field = join(at, name);
            if request && now_required.contains(name) {
                self.found(true, &field, "new required field".to_owned());
            } else {
                self.found(false, &field, "new optional field".to_owned());
            }
        }
        // A required name with no property of its own (allowed in JSON schema).
        for name in now_required.difference(&was_required) {
            if request && !after.contains_key(name) && !before.contains_key(name) {
                self.found(true, &join(at, name), "new required field".to_owned());
            }
        }
    }

    /// Each variant the reading side was ready for must still be matched: a request's old
    /// variants by some new variant, a response's new variants by some old one.
    fn compare_variants(&mut self, old: &Value, new: &Value, at: &str) {
        let before = variants(old).unwrap_or_else(|| vec![old.clone()]);
        let after = variants(new).unwrap_or_else(|| vec![new.clone()]);
        let (must_match, against, what) = match self.direction {
            Direction::Request => (&before, &after, "no longer accepts"),
            Direction::Response => (&after, &before, "may now be"),
        };
        for variant in must_match {
            let matched = against.iter().any(|other| {
                let (old, new) = match self.direction {
                    Direction::Request => (variant, other),
                    Direction::Response => (other, variant),
                };
                !self.breaks(old, new)
            });
            if !matched {
                let what = format!("{what} {}", summary(self.old, self.new, variant));
                self.found(true, at, what);
            }
        }
    }

    /// Whether `old` against `new` has a breaking finding, without recording any.
    fn breaks(&self, old: &Value, new: &Value) -> bool {
        let mut probe = Walk {
            old: self.old,
            new: self.new,
            direction: self.direction,
            findings: Vec::new(),
            refs: self.refs.clone(),
        };
        probe.compare(old, new, "");
        probe.findings.iter().any(|finding| finding.breaking)
    }
}

/// Limits, each with whether it is an upper bound (a smaller value is tighter).
const LIMITS: [(&str, bool); 8] = [
    ("maxLength", true),
    ("maximum", true),
    ("exclusiveMaximum", true),
    ("maxItems", true),
    ("minLength", false),
    ("minimum", false),
    ("exclusiveMinimum", false),
    ("minItems", false),
];

/// `value`, or the named schema its `$ref` points at (following chains of references),
/// with the name. A reference to a name the manifest lacks stays as it is.
fn resolve<'a>(
    schemas: &'a BTreeMap<String, Value>,
    value: &'a Value,
) -> (&'a Value, Option<&'a str>) {
    let mut current = value;
    let mut name = None;
    for _ in 0..MAX_DEPTH {
        let Some(target) = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        else {
            break;
        };
        let Some((key, schema)) = schemas.get_key_value(target) else {
            break;
        };
        name = Some(key.as_str());
        current = schema;
    }
    (current, name)
}

/// `value` with its `allOf` parts merged in: their properties, required names and types.
fn flatten(schemas: &BTreeMap<String, Value>, value: &Value) -> Value {
    let Some(parts) = value.get("allOf").and_then(Value::as_array) else {
        return value.clone();
    };
    let mut merged = value.as_object().cloned().unwrap_or_default();
    merged.remove("allOf");
    for part in parts {
        let part = flatten(schemas, resolve(schemas, part).0);
        let Some(part) = part.as_object() else {
            continue;
        };
        for (key, item) in part {
            match (key.as_str(), merged.get_mut(key)) {
                ("properties", Some(Value::Object(properties))) => {
                    if let Some(more) = item.as_object() {
                        for (name, schema) in more {
                            properties
                                .entry(name.clone())
                                .or_insert_with(|| schema.clone());
                        }
                    }
                }
                ("required", Some(Value::Array(names))) => {
                    for name in item.as_array().into_iter().flatten() {
                        if !names.contains(name) {
                            names.push(name.clone());
                        }
                    }
                }
                (_, Some(_)) => {}
                (_, None) => {
                    merged.insert(key.clone(), item.clone());
                }
            }
        }
    }
    Value::Object(merged)
}

/// The schema's `oneOf` or `anyOf` variants.
fn variants(value: &Value) -> Option<Vec<Value>> {
    value
        .get("oneOf")
        .or_else(|| value.get("anyOf"))
        .and_then(Value::as_array)
        .cloned()
}

/// The types a schema allows; `None` for any type.
fn types(value: &Value) -> Option<BTreeSet<String>> {
    let mut set: BTreeSet<String> = match value.get("type") {
        Some(Value::String(t)) => [t.clone()].into(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ if value.get("properties").is_some() => ["object".to_owned()].into(),
        _ if value.get("items").is_some() => ["array".to_owned()].into(),
        _ => return None,
    };
    // OpenAPI 3.0's way of saying `null` too.
    if value.get("nullable") == Some(&Value::Bool(true)) {
        set.insert("null".to_owned());
    }
    Some(set)
}

/// Whether a value of type `t` is one of `set`'s types (an integer is a number).
fn accepts(set: &BTreeSet<String>, t: &str) -> bool {
    set.contains(t) || (t == "integer" && set.contains("number"))
}

/// The values `enum` or `const` allows.
fn allowed(value: &Value) -> Option<Vec<&Value>> {
    if let Some(values) = value.get("enum").and_then(Value::as_array) {
        return Some(values.iter().collect());
    }
    value.get("const").map(|v| vec![v])
}

fn required(value: &Value) -> BTreeSet<String> {
    value
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// A variant, shortly: its schema's name, else its type.
fn summary(
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
    variant: &Value,
) -> String {
    if let Some(name) = resolve(new, variant).1.or_else(|| resolve(old, variant).1) {
        return format!("`{name}`");
    }
    match types(variant) {
        Some(set) => set
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(" or "),
        None => format!("`{variant}`"),
    }
}

fn join(at: &str, field: &str) -> String {
    match (at.is_empty(), field) {
        (true, _) => field.to_owned(),
        (false, "[]") => format!("{at}[]"),
        (false, _) => format!("{at}.{field}"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn manifest(schemas: Value) -> HostManifest {
        HostManifest {
            schemas: serde_json::from_value(schemas).unwrap(),
            ..HostManifest::default()
        }
    }

    /// The findings of `old` against `new` (no named schemas), as `(breaking, text)`.
    fn findings(old: Value, new: Value, direction: Direction) -> Vec<(bool, String)> {
        let none = HostManifest::default();
        compare(&none, &none, &old, &new, direction)
            .into_iter()
            .map(|f| (f.breaking, f.to_string()))
            .collect()
    }

    fn object(required: &[&str], properties: Value) -> Value {
        json!({ "type": "object", "required": required, "properties": properties })
    }

    #[test]
    fn equal_schemas_have_no_findings() {
        let schema = object(&["a"], json!({ "a": { "type": "string" } }));
        assert!(findings(schema.clone(), schema.clone(), Direction::Request).is_empty());
        assert!(findings(schema.clone(), schema, Direction::Response).is_empty());
    }

    #[test]
    fn a_new_required_request_field_breaks_and_an_optional_one_does_not() {
        let old = object(&["a"], json!({ "a": { "type": "string" } }));
        let new = object(
            &["a", "b"],
            json!({ "a": { "type": "string" }, "b": { "type": "string" }, "c": { "type": "string" } }),
        );
        assert_eq!(
            findings(old, new, Direction::Request),
            [
                (true, "field `b`: new required field".to_owned()),
                (false, "field `c`: new optional field".to_owned())
            ]
        );
    }

    #[test]
    fn a_removed_response_field_breaks_and_a_removed_request_field_does_not() {
        let old = object(
            &["a"],
            json!({ "a": { "type": "string" }, "b": { "type": "string" } }),
        );
        let new = object(&["a"], json!({ "a": { "type": "string" } }));
        assert_eq!(
            findings(old.clone(), new.clone(), Direction::Response),
            [(true, "field `b`: removed: clients may read it".to_owned())]
        );
        assert_eq!(
            findings(old.clone(), new.clone(), Direction::Request),
            [(false, "field `b`: removed".to_owned())]
        );
        let mut closed = new;
        closed["additionalProperties"] = json!(false);
        assert_eq!(
            findings(old, closed, Direction::Request),
            [(
                true,
                "field `b`: removed: the schema refuses unknown fields".to_owned()
            )]
        );
    }

    #[test]
    fn a_response_field_that_may_be_missing_breaks() {
        let old = object(&["a"], json!({ "a": { "type": "string" } }));
        let new = object(&[], json!({ "a": { "type": "string" } }));
        assert_eq!(
            findings(old.clone(), new.clone(), Direction::Response),
            [(true, "field `a`: may now be missing".to_owned())]
        );
        assert_eq!(
            findings(old, new, Direction::Request),
            [(false, "field `a`: now optional".to_owned())]
        );
    }

    #[test]
    fn types_break_in_the_direction_data_flows() {
        let string = json!({ "type": "string" });
        let nullable = json!({ "type": ["string", "null"] });
        // A response that may now be null breaks readers; a request that accepts null too
        // breaks nobody.
        assert_eq!(
            findings(string.clone(), nullable.clone(), Direction::Response),
            [(
                true,
                "type changed from `string` to `null` or `string`".to_owned()
            )]
        );
        assert_eq!(
            findings(string.clone(), nullable.clone(), Direction::Request),
            [(
                false,
                "type changed from `string` to `null` or `string`".to_owned()
            )]
        );
        assert!(findings(nullable.clone(), string.clone(), Direction::Request)[0].0);
        assert!(!findings(nullable, string, Direction::Response)[0].0);
        // An integer is a number: widening a request, narrowing a response is fine.
        let integer = json!({ "type": "integer" });
        let number = json!({ "type": "number" });
        assert!(!findings(integer.clone(), number.clone(), Direction::Request)[0].0);
        assert!(findings(integer.clone(), number.clone(), Direction::Response)[0].0);
        assert!(!findings(number.clone(), integer.clone(), Direction::Response)[0].0);
        assert!(findings(number, integer, Direction::Request)[0].0);
    }

    #[test]
    fn a_changed_type_is_reported_once_not_field_by_field() {
        let old = object(&["a"], json!({ "a": { "type": "string" } }));
        let new = json!({ "type": "array", "items": { "type": "string" } });
        assert_eq!(
            findings(old, new, Direction::Response),
            [(true, "type changed from `object` to `array`".to_owned())]
        );
    }

    #[test]
    fn enum_values_break_in_the_direction_data_flows() {
        let old = json!({ "type": "string", "enum": ["a", "b"] });
        let new = json!({ "type": "string", "enum": ["b", "c"] });
        assert_eq!(
            findings(old.clone(), new.clone(), Direction::Request),
            [
                (true, "value `\"a\"` removed".to_owned()),
                (false, "value `\"c\"` added".to_owned())
            ]
        );
        assert_eq!(
            findings(old, new, Direction::Response),
            [
                (false, "value `\"a\"` removed".to_owned()),
                (true, "value `\"c\"` added".to_owned())
            ]
        );
    }

    #[test]
    fn tighter_request_limits_break_and_looser_ones_do_not() {
        let old = json!({ "type": "string", "maxLength": 200, "minLength": 1 });
        let new = json!({ "type": "string", "maxLength": 100, "minLength": 0, "pattern": "^x" });
        assert_eq!(
            findings(old.clone(), new.clone(), Direction::Request),
            [
                (true, "`maxLength` changed from 200 to 100".to_owned()),
                (false, "`minLength` changed from 1 to 0".to_owned()),
                (true, "`pattern` is now \"^x\"".to_owned())
            ]
        );
        assert!(findings(old, new, Direction::Response).is_empty());
    }

    #[test]
    fn a_changed_format_breaks() {
        let old = json!({ "type": "string", "format": "uuid" });
        let new = json!({ "type": "string", "format": "date-time" });
        assert_eq!(
            findings(old.clone(), new.clone(), Direction::Response),
            [(
                true,
                "`format` changed from \"uuid\" to \"date-time\"".to_owned()
            )]
        );
        assert!(findings(old, new, Direction::Request)[0].0);
    }

    #[test]
    fn references_are_followed_into_each_manifests_schemas() {
        let old =
            manifest(json!({ "User": object(&["id"], json!({ "id": { "type": "string" } })) }));
        let new =
            manifest(json!({ "User": object(&["id"], json!({ "id": { "type": "integer" } })) }));
        let reference = json!({ "$ref": "#/components/schemas/User" });
        let found = compare(&old, &new, &reference, &reference, Direction::Response);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].to_string(),
            "field `id`: type changed from `string` to `integer`"
        );
    }

    #[test]
    fn recursive_schemas_end() {
        let tree = |leaf: &str| {
            manifest(json!({ "Node": object(&["value"], json!({
                "value": { "type": leaf },
                "children": { "type": "array", "items": { "$ref": "#/components/schemas/Node" } }
            })) }))
        };
        let (old, new) = (tree("string"), tree("integer"));
        let reference = json!({ "$ref": "#/components/schemas/Node" });
        let found = compare(&old, &new, &reference, &reference, Direction::Response);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].at, "value");
    }

    #[test]
    fn all_of_parts_are_merged() {
        let old = json!({ "allOf": [
            object(&["a"], json!({ "a": { "type": "string" } })),
            object(&["b"], json!({ "b": { "type": "string" } }))
        ] });
        let new = json!({ "allOf": [object(&["a"], json!({ "a": { "type": "string" } }))] });
        assert_eq!(
            findings(old, new, Direction::Response),
            [(true, "field `b`: removed: clients may read it".to_owned())]
        );
    }

    #[test]
    fn one_of_variants_are_matched() {
        let old = manifest(json!({
            "Cat": object(&["meow"], json!({ "meow": { "type": "string" } })),
            "Dog": object(&["bark"], json!({ "bark": { "type": "string" } }))
        }));
        let new = old.clone();
        let variants = |names: &[&str]| json!({ "oneOf": names.iter().map(|n| json!({ "$ref": format!("#/components/schemas/{n}") })).collect::<Vec<_>>() });
        let less = compare(
            &old,
            &new,
            &variants(&["Cat", "Dog"]),
            &variants(&["Cat"]),
            Direction::Request,
        );
        assert_eq!(less.len(), 1);
        assert_eq!(less[0].to_string(), "no longer accepts `Dog`");
        let more = compare(
            &old,
            &new,
            &variants(&["Cat"]),
            &variants(&["Cat", "Dog"]),
            Direction::Response,
        );
        assert_eq!(more.len(), 1);
        assert_eq!(more[0].to_string(), "may now be `Dog`");
        assert!(
            compare(
                &old,
                &new,
                &variants(&["Cat"]),
                &variants(&["Cat", "Dog"]),
                Direction::Request
            )
            .is_empty()
        );
        // An optional reference (utoipa writes `Option<T>` as `oneOf: [null, T]`).
        let optional =
            json!({ "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/Cat" }] });
        let plain = json!({ "$ref": "#/components/schemas/Cat" });
        let found = compare(&old, &new, &plain, &optional, Direction::Response);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].to_string(), "may now be `null`");
    }
}
