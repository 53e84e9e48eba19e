//! Finding the secrets of a URL in config (a DSN's password, wherever it is written) so that
//! printing it hides them.
//!
//! Connection URLs are often written by hand, unencoded: `postgres://app:pa/ss#1@db/app`
//! is not a valid URL (its password holds `/` and `#`), yet drivers accept it. So the
//! credentials end at the last `@` before the query string (or, when there is none there,
//! the last `@` of all): never at the first `/`, `?` or `#`. An `@` later in a path can
//! make more than the password hidden; that errs on the safe side.

/// What a hidden secret shows instead.
const REDACTED: &str = "***";

/// Query parameters whose values are secrets (compared case-insensitively; a key that
/// holds `password`, `secret` or `token` counts too).
const SECRET_PARAMS: &[&str] = &["pass", "pwd", "key", "sslkey"];
const SECRET_PARAM_FRAGMENTS: &[&str] = &["password", "secret", "token"];

/// Byte ranges of `text`'s secrets: the password of its credentials and the values of its
/// secret query parameters. Empty when `text` is not a URL (`scheme:` first).
pub(crate) fn secret_ranges(text: &str) -> Vec<(usize, usize)> {
    let Some(body) = scheme_end(text) else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    let mut query_from = body;
    if let Some(rest) = text[body..].strip_prefix("//") {
        let start = body + 2;
        let before_query = rest.find('?').unwrap_or(rest.len());
        let at = rest[..before_query].rfind('@').or_else(|| rest.rfind('@'));
        if let Some(at) = at {
            if let Some(colon) = rest[..at].find(':') {
                if colon + 1 < at {
                    ranges.push((start + colon + 1, start + at));
                }
            }
            query_from = start + at + 1;
        }
    }
    if let Some(question) = text[query_from..].find('?') {
        let mut position = query_from + question + 1;
        for pair in text[position..].split('&') {
            if let Some((key, value)) = pair.split_once('=') {
                if is_secret_param(key) && !value.is_empty() {
                    let value_start = position + key.len() + 1;
                    ranges.push((value_start, value_start + value.len()));
                }
            }
            position += pair.len() + 1;
        }
    }
    ranges
}

/// `text` with every secret of [`secret_ranges`] replaced by `***`; `None` when it has none.
pub(crate) fn redact_url(text: &str) -> Option<String> {
    let ranges = secret_ranges(text);
    if ranges.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end) in ranges {
        out.push_str(&text[copied..start]);
        out.push_str(REDACTED);
        copied = end;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// Where the scheme's `:` ends, if `text` starts with one (`postgres:`, `sqlite:`).
fn scheme_end(text: &str) -> Option<usize> {
    let colon = text.find(':')?;
    let scheme = &text[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(colon + 1)
}

fn is_secret_param(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_PARAMS.contains(&key.as_str())
        || SECRET_PARAM_FRAGMENTS
            .iter()
            .any(|fragment| key.contains(fragment))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        redact_url(text).unwrap_or_else(|| text.to_owned())
    }

    #[test]
    fn the_password_is_hidden_whatever_it_holds() {
        for (url, expected) in [
            ("postgres://u:pw@h:5432/d", "postgres://u:***@h:5432/d"),
            ("postgres://u:pa/ss@h/d", "postgres://u:***@h/d"),
            ("postgres://u:pa#ss@h/d", "postgres://u:***@h/d"),
            (
                "postgres://u:a/b#c@d@h:1/d?sslmode=off",
                "postgres://u:***@h:1/d?sslmode=off",
            ),
            ("postgres://u:pa?ss@h/d", "postgres://u:***@h/d"),
            ("postgres://u:p%2Fss@h/d", "postgres://u:***@h/d"),
        ] {
            assert_eq!(shown(url), expected, "{url}");
        }
    }

    #[test]
    fn secret_query_parameters_are_hidden_and_the_rest_kept() {
        for (url, expected) in [
            (
                "postgresql://h/d?user=u&password=s3/c#r&sslmode=disable",
                "postgresql://h/d?user=u&password=***&sslmode=disable",
            ),
            (
                "postgres:///d?host=/run/pg&PASSWORD=x",
                "postgres:///d?host=/run/pg&PASSWORD=***",
            ),
            (
                "postgres://u:pw@h/d?sslpassword=k",
                "postgres://u:***@h/d?sslpassword=***",
            ),
            (
                "sqlite:app.db?mode=rwc&pwd=x",
                "sqlite:app.db?mode=rwc&pwd=***",
            ),
            ("redis://h/0?auth_token=t", "redis://h/0?auth_token=***"),
        ] {
            assert_eq!(shown(url), expected, "{url}");
        }
    }

    #[test]
    fn urls_without_secrets_and_plain_text_are_left_alone() {
        for text in [
            "postgres://u@h/d",
            "postgres://h:5432/d?sslmode=require",
            "sqlite:///tmp/x.db",
            "sqlite::memory:",
            "not a url",
            "8080",
            "",
        ] {
            assert_eq!(redact_url(text), None, "{text}");
        }
    }
}
