//! Reading a manifest back, for `diff`.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::HostManifest;
use crate::bootstrap::BootstrapError;

impl HostManifest {
    /// Reads a manifest that `graph --format json` wrote. An unreadable file, text that is
    /// not JSON, JSON that is not a manifest (the error names the JSON path, such as
    /// `modules[2].deps`) and a module listed twice are errors naming `path`.
    ///
    /// ```
    /// use modkit::bootstrap::HostManifest;
    ///
    /// let path = std::env::temp_dir().join(format!("manifest-{}.json", std::process::id()));
    /// std::fs::write(&path, r#"{ "modules": [{ "name": "a", "deps": "b" }] }"#).unwrap();
    /// let error = HostManifest::read(&path).unwrap_err().to_string();
    /// std::fs::remove_file(&path).unwrap();
    /// assert!(error.contains("`modules[0].deps`"), "{error}");
    /// ```
    pub fn read(path: &Path) -> Result<Self, BootstrapError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| BootstrapError::UnreadableManifest {
                path: path.to_owned(),
                source,
            })?;
        let invalid = |reason: String| BootstrapError::InvalidManifest {
            path: path.to_owned(),
            reason,
        };
        let json: Value =
            serde_json::from_str(&text).map_err(|error| invalid(format!("not JSON: {error}")))?;
        if !json.is_object() {
            return Err(invalid(format!(
                "the top level is {}, not an object with `modules`",
                kind(&json)
            )));
        }
        let manifest: Self = serde_path_to_error::deserialize(json).map_err(|error| {
            let at = error.path().to_string();
            let inner = error.into_inner();
            if at == "." {
                invalid(inner.to_string())
            } else {
                invalid(format!("at `{at}`: {inner}"))
            }
        })?;
        let mut seen = HashMap::new();
        for (index, module) in manifest.modules.iter().enumerate() {
            if let Some(first) = seen.insert(module.name.as_str(), index) {
                return Err(invalid(format!(
                    "module `{}` is listed twice (`modules[{first}]` and `modules[{index}]`)",
                    module.name
                )));
            }
        }
        Ok(manifest)
    }
}

/// `an array`, `a string`, ...: what a JSON value is, for a message.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
