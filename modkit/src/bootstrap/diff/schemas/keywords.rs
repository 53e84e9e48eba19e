//! What a schema's keywords say: references, `allOf` parts, variants, types, enums,
//! required names and limits.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::MAX_DEPTH;

/// Limits, each with whether it is an upper bound (a smaller value is tighter).
pub(super) const LIMITS: [(&str, bool); 8] = [
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
pub(super) fn resolve<'a>(
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
pub(super) fn flatten(schemas: &BTreeMap<String, Value>, value: &Value) -> Value {
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
pub(super) fn variants(value: &Value) -> Option<Vec<Value>> {
    value
        .get("oneOf")
        .or_else(|| value.get("anyOf"))
        .and_then(Value::as_array)
        .cloned()
}

/// The types a schema allows; `None` for any type.
pub(super) fn types(value: &Value) -> Option<BTreeSet<String>> {
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
pub(super) fn accepts(set: &BTreeSet<String>, t: &str) -> bool {
    set.contains(t) || (t == "integer" && set.contains("number"))
}

/// The values `enum` or `const` allows.
pub(super) fn allowed(value: &Value) -> Option<Vec<&Value>> {
    if let Some(values) = value.get("enum").and_then(Value::as_array) {
        return Some(values.iter().collect());
    }
    value.get("const").map(|v| vec![v])
}

pub(super) fn required(value: &Value) -> BTreeSet<String> {
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
pub(super) fn summary(
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

pub(super) fn join(at: &str, field: &str) -> String {
    match (at.is_empty(), field) {
        (true, _) => field.to_owned(),
        (false, "[]") => format!("{at}[]"),
        (false, _) => format!("{at}.{field}"),
    }
}
