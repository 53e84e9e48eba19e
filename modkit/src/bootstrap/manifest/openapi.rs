//! Reading operations and schemas out of the REST host's OpenAPI document.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{
    HostManifest, OperationManifest, ParameterManifest, RequestBodyManifest, ResponseManifest,
};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl HostManifest {
    /// Adds every operation of `document` (an OpenAPI 3 document as JSON, such as the REST
    /// host serves at `/openapi.json`) by operation id, with its parameters, request body and
    /// responses, and the document's named schemas. Operations without an id are left out:
    /// nothing could name them in [`RouteManifest::operation_id`](super::RouteManifest).
    ///
    /// ```
    /// use modkit::bootstrap::HostManifest;
    /// use serde_json::json;
    ///
    /// let document = json!({ "paths": { "/ping": { "get": {
    ///     "operationId": "ping",
    ///     "responses": { "200": { "content": { "text/plain": { "schema": { "type": "string" } } } } }
    /// } } } });
    /// let manifest = HostManifest::default().with_openapi(&document);
    /// assert_eq!(
    ///     manifest.operations["ping"].responses["200"].content["text/plain"],
    ///     json!({ "type": "string" })
    /// );
    /// ```
    pub fn with_openapi(mut self, document: &Value) -> Self {
        let empty = Map::new();
        let paths = document
            .get("paths")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for item in paths.values() {
            let shared = item.get("parameters");
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                let manifest = OperationManifest {
                    parameters: parameters(document, shared, operation.get("parameters")),
                    request_body: operation
                        .get("requestBody")
                        .map(|body| request_body(resolve(document, body))),
                    responses: responses(document, operation.get("responses")),
                };
                self.operations.insert(id.to_owned(), manifest);
            }
        }
        if let Some(schemas) = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for (name, schema) in schemas {
                self.schemas.insert(name.clone(), schema.clone());
            }
        }
        self
    }
}

/// The path item's parameters, overridden by the operation's own (same name and location).
fn parameters(
    document: &Value,
    shared: Option<&Value>,
    own: Option<&Value>,
) -> Vec<ParameterManifest> {
    let mut by_key: BTreeMap<(String, String), ParameterManifest> = BTreeMap::new();
    let listed = [shared, own]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten();
    for parameter in listed {
        let parameter = resolve(document, parameter);
        let text = |key: &str| {
            parameter
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let manifest = ParameterManifest {
            name: text("name"),
            location: text("in"),
            required: parameter
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            schema: parameter.get("schema").cloned().unwrap_or(Value::Null),
        };
        by_key.insert((manifest.location.clone(), manifest.name.clone()), manifest);
    }
    by_key.into_values().collect()
}

fn request_body(body: &Value) -> RequestBodyManifest {
    RequestBodyManifest {
        required: body
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        content: content(body),
    }
}

fn responses(document: &Value, responses: Option<&Value>) -> BTreeMap<String, ResponseManifest> {
    responses
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(status, response)| {
            let response = resolve(document, response);
            (
                status.clone(),
                ResponseManifest {
                    content: content(response),
                },
            )
        })
        .collect()
}

/// `content`'s schemas by media type (`null` for a media type documented without one).
fn content(owner: &Value) -> BTreeMap<String, Value> {
    owner
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(media, entry)| {
            (
                media.clone(),
                entry.get("schema").cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

/// `value`, or what its local `$ref` (`#/components/...`) points at; a reference that
/// points nowhere is kept as it is.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| document.pointer(pointer))
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn operations_take_path_parameters_and_referenced_parts() {
        let document = json!({
            "paths": { "/users/{id}": {
                "parameters": [{ "name": "id", "in": "path", "required": true,
                                 "schema": { "type": "string" } }],
                "put": {
                    "operationId": "users.update",
                    "parameters": [{ "$ref": "#/components/parameters/Verbose" }],
                    "requestBody": { "$ref": "#/components/requestBodies/NewUser" },
                    "responses": {
                        "200": { "content": { "application/json": {
                            "schema": { "$ref": "#/components/schemas/User" } } } },
                        "204": { "description": "nothing" }
                    }
                },
                "delete": { "responses": {} }
            } },
            "components": {
                "parameters": { "Verbose": { "name": "verbose", "in": "query" } },
                "requestBodies": { "NewUser": { "required": true, "content": {
                    "application/json": { "schema": { "type": "object" } } } } },
                "schemas": { "User": { "type": "object" } }
            }
        });
        let manifest = HostManifest::default().with_openapi(&document);
        assert_eq!(manifest.operations.len(), 1, "the delete has no id");
        let update = &manifest.operations["users.update"];
        let names: Vec<_> = update
            .parameters
            .iter()
            .map(|p| (p.location.as_str(), p.name.as_str(), p.required))
            .collect();
        assert_eq!(names, [("path", "id", true), ("query", "verbose", false)]);
        let body = update.request_body.as_ref().unwrap();
        assert!(body.required);
        assert_eq!(
            body.content["application/json"],
            json!({ "type": "object" })
        );
        assert!(update.responses["204"].content.is_empty());
        assert_eq!(
            update.responses["200"].content["application/json"],
            json!({ "$ref": "#/components/schemas/User" })
        );
        assert_eq!(manifest.schemas["User"], json!({ "type": "object" }));
    }
}
