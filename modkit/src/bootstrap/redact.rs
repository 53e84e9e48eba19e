//! Hiding secrets wherever the effective config is printed.

use serde_json::Value;

use crate::config::secret_url::redact_url;

/// What a redacted value is replaced with.
pub(crate) const REDACTED: &str = "***";

/// Key fragments that mark a value as secret, compared case-insensitively.
const SECRET_KEY_FRAGMENTS: [&str; 4] = ["password", "secret", "token", "api_key"];

/// Replaces, in place, every value whose key names a secret (`password`, `secret`, `token`,
/// `api_key`, in any case and as part of a longer key), and the secrets of every URL: the
/// password of its credentials, whatever characters it holds (`postgres://user:p/w#1@host/db`
/// becomes `postgres://user:***@host/db`), and secret query parameters (`?password=…`).
pub(crate) fn redact_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if is_secret_key(key) && !value.is_null() {
                    *value = Value::String(REDACTED.to_owned());
                } else {
                    redact_secrets(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_secrets),
        Value::String(text) => {
            if let Some(redacted) = redact_url(text) {
                *text = redacted;
            }
        }
        _ => {}
    }
}

fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_KEY_FRAGMENTS
        .iter()
        .any(|fragment| key.contains(fragment))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secret_keys_are_hidden_at_any_depth() {
        let mut config = json!({
            "modules": { "users": { "config": {
                "db_password": "hunter2", "API_TOKEN": "t", "nested": [{ "client_secret": "s" }],
                "page_size": 50
            } } }
        });
        redact_secrets(&mut config);
        let users = &config["modules"]["users"]["config"];
        assert_eq!(users["db_password"], REDACTED);
        assert_eq!(users["API_TOKEN"], REDACTED);
        assert_eq!(users["nested"][0]["client_secret"], REDACTED);
        assert_eq!(users["page_size"], 50);
    }

    #[test]
    fn dsn_passwords_are_hidden_wherever_they_are_written() {
        let mut config = json!({
            "modules": { "users": {
                "database": { "dsn": "postgres://app:pa/ss#w0rd@db.local:5432/users?sslmode=off" },
                "config": { "replicas": [
                    "postgres://db2/users?user=app&password=q/uery#pw",
                    "postgres://app@db3/users",
                ] },
            } }
        });
        redact_secrets(&mut config);
        let users = &config["modules"]["users"];
        assert_eq!(
            users["database"]["dsn"],
            "postgres://app:***@db.local:5432/users?sslmode=off"
        );
        assert_eq!(
            users["config"]["replicas"][0],
            "postgres://db2/users?user=app&password=***"
        );
        assert_eq!(users["config"]["replicas"][1], "postgres://app@db3/users");
        let printed = config.to_string();
        for secret in ["pa/ss", "w0rd", "q/uery", "#pw"] {
            assert!(!printed.contains(secret), "`{secret}` shows in {printed}");
        }
    }
}
