//! Hiding secrets wherever the effective config is printed.

use serde_json::Value;

/// What a redacted value is replaced with.
pub(crate) const REDACTED: &str = "***";

/// Key fragments that mark a value as secret, compared case-insensitively.
const SECRET_KEY_FRAGMENTS: [&str; 4] = ["password", "secret", "token", "api_key"];

/// Replaces, in place, every value whose key names a secret (`password`, `secret`, `token`,
/// `api_key`, in any case and as part of a longer key), and the password of every URL with
/// credentials (`postgres://user:pw@host/db` becomes `postgres://user:***@host/db`).
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
            if let Some(redacted) = redact_url_password(text) {
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

/// `scheme://user:password@rest` with the password replaced; `None` when `text` is not
/// such a URL.
pub(crate) fn redact_url_password(text: &str) -> Option<String> {
    let scheme_end = text.find("://")?;
    let authority_start = scheme_end + 3;
    let authority_len = text[authority_start..]
        .find(['/', '?', '#'])
        .unwrap_or(text.len() - authority_start);
    let authority = &text[authority_start..authority_start + authority_len];
    // The last `@` ends the credentials: a password may itself hold an `@`.
    let at = authority.rfind('@')?;
    let colon = authority[..at].find(':')?;
    let password_start = authority_start + colon + 1;
    let password_end = authority_start + at;
    if password_start == password_end {
        return None;
    }
    Some(format!(
        "{}{REDACTED}{}",
        &text[..password_start],
        &text[password_end..]
    ))
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
    fn url_passwords_are_hidden_and_the_rest_kept() {
        assert_eq!(
            redact_url_password("postgres://app:p@ss@db.local:5432/users?sslmode=off").as_deref(),
            Some("postgres://app:***@db.local:5432/users?sslmode=off")
        );
        assert_eq!(redact_url_password("postgres://app@db.local/users"), None);
        assert_eq!(redact_url_password("sqlite:///tmp/x.db"), None);
        assert_eq!(redact_url_password("not a url"), None);
        let mut value = json!({ "dsn": "postgres://u:pw@h/d" });
        redact_secrets(&mut value);
        assert_eq!(value["dsn"], "postgres://u:***@h/d");
    }
}
