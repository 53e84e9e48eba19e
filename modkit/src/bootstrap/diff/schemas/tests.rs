//! Unit tests of the schema comparison.

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
            (true, "`pattern` changed from none to \"^x\"".to_owned())
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
    let old = manifest(json!({ "User": object(&["id"], json!({ "id": { "type": "string" } })) }));
    let new = manifest(json!({ "User": object(&["id"], json!({ "id": { "type": "integer" } })) }));
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
    let optional = json!({ "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/Cat" }] });
    let plain = json!({ "$ref": "#/components/schemas/Cat" });
    let found = compare(&old, &new, &plain, &optional, Direction::Response);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].to_string(), "may now be `null`");
}

#[test]
fn schemas_that_nest_out_of_step_end() {
    // `A` holds arrays of itself; `B` holds arrays of arrays of itself: the two sides meet
    // their references at different depths.
    let old = manifest(
        json!({ "A": { "type": "array", "items": { "$ref": "#/components/schemas/A" } } }),
    );
    let new = manifest(
        json!({ "A": { "type": "array", "items": { "type": "array", "items": { "$ref": "#/components/schemas/A" } } } }),
    );
    let reference = json!({ "$ref": "#/components/schemas/A" });
    let found = compare(&old, &new, &reference, &reference, Direction::Response);
    // Both are arrays of arrays without end: nothing to report, and the walk ends.
    assert_eq!(found, []);
}
