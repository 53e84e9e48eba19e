//! A user, what creating one takes, and the checks its fields get.
//!
//! The checks and the OpenAPI schema say the same thing (a test compares them), so that a
//! request the document calls valid is never refused and one it calls invalid never
//! accepted.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    /// Its id.
    pub id: Uuid,
    /// Display name (never blank).
    pub name: String,
    /// Email address.
    pub email: String,
}

/// What creating or replacing a user takes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewUser {
    /// Display name: 1 to 200 characters, no control characters, not all blank; kept
    /// without leading or trailing blanks.
    // "No control character, and one that is not blank either", with the classes spelled
    // out: `\s` and `\p{..}` mean different sets in different regex engines.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u001f\\u007f-\\u009f \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    pub name: String,
    /// Email address, `local@domain.tld`, at most 254 characters.
    #[schema(format = Email, max_length = 254)]
    pub email: String,
}

/// The longest name, in characters.
pub(crate) const MAX_NAME: usize = 200;
/// The longest email address, in characters (RFC 5321's path limit less the brackets).
pub(crate) const MAX_EMAIL: usize = 254;

/// Why input was refused: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` {message}")]
pub struct Invalid {
    /// The field.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl Invalid {
    pub(crate) fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl NewUser {
    /// The user with its name trimmed, or the first invalid field.
    pub fn validated(self) -> Result<Self, Invalid> {
        let length = self.name.chars().count();
        if !(1..=MAX_NAME).contains(&length) {
            return Err(Invalid::new(
                "name",
                format!("must be 1 to {MAX_NAME} characters, not {length}"),
            ));
        }
        if self.name.chars().any(char::is_control) {
            // Stores refuse some (PostgreSQL's text cannot hold U+0000); no name needs them.
            return Err(Invalid::new("name", "must not contain control characters"));
        }
        let name = self.name.trim_matches(is_blank);
        if name.is_empty() {
            return Err(Invalid::new("name", "must not be blank"));
        }
        if self.email.chars().count() > MAX_EMAIL {
            return Err(Invalid::new(
                "email",
                format!("must be at most {MAX_EMAIL} characters"),
            ));
        }
        if !is_email(&self.email) {
            return Err(Invalid::new(
                "email",
                format!("`{}` is not an email address", self.email),
            ));
        }
        Ok(Self {
            name: name.to_owned(),
            email: self.email,
        })
    }
}

/// Unicode white space and U+FEFF (white space to JavaScript): what no name consists of.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// `local@domain.tld`: one `@`, no blanks or control characters, a dot inside the domain.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !text.chars().any(|c| is_blank(c) || c.is_control())
        && domain
            .split_once('.')
            .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty() && !tld.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;

    use super::*;

    fn user(name: &str, email: &str) -> NewUser {
        NewUser {
            name: name.into(),
            email: email.into(),
        }
    }

    #[test]
    fn names_and_emails_are_checked() {
        for bad in ["", "  ", "\u{feff}\u{3000}", "A\u{0}nn", "Ann\n", "\u{85}"] {
            assert_eq!(
                user(bad, "a@b.c").validated().unwrap_err().field,
                "name",
                "{bad:?}"
            );
        }
        assert_eq!(
            user(&"x".repeat(MAX_NAME + 1), "a@b.c")
                .validated()
                .unwrap_err()
                .field,
            "name"
        );
        // Counted before trimming, as the schema's `maxLength` counts.
        let padded = format!(" {} ", "x".repeat(MAX_NAME - 1));
        assert_eq!(
            user(&padded, "a@b.c").validated().unwrap_err().field,
            "name"
        );
        for bad in [
            "",
            "a",
            "a@",
            "@b.c",
            "a@b",
            "a b@c.d",
            "a@b@c.d",
            "a@.c",
            " a@b.c",
            "a\u{0}@b.c",
        ] {
            assert_eq!(
                user("Ann", bad).validated().unwrap_err().field,
                "email",
                "{bad:?}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(MAX_EMAIL));
        assert_eq!(user("Ann", &long).validated().unwrap_err().field, "email");
        let ok = user(" Ann ", "ann@example.com").validated().unwrap();
        assert_eq!(ok.name, "Ann");
    }

    #[test]
    fn the_schema_states_the_same_rules_as_the_checks() {
        let schema = serde_json::to_value(NewUser::schema()).unwrap();
        let name = &schema["properties"]["name"];
        assert_eq!(name["minLength"], 1);
        assert_eq!(name["maxLength"], MAX_NAME);
        // `^[^A]*[^B][^A]*$`: A excludes control characters, B blanks too.
        let pattern = name["pattern"].as_str().unwrap();
        let rest = pattern.strip_prefix("^[^").unwrap();
        let (allowed, rest) = rest.split_once("]*[^").unwrap();
        let (needed, rest) = rest.split_once("][^").unwrap();
        assert_eq!(rest, format!("{allowed}]*$"));
        let (controls, blanks_or_controls) = (class_chars(allowed), class_chars(needed));
        for code in 0..=0x10ffff_u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            assert_eq!(controls.contains(&c), c.is_control(), "U+{code:04X}");
            assert_eq!(
                blanks_or_controls.contains(&c),
                c.is_control() || is_blank(c),
                "U+{code:04X}"
            );
        }
        let email = &schema["properties"]["email"];
        assert_eq!(email["format"], "email");
        assert_eq!(email["maxLength"], MAX_EMAIL);
    }

    /// The characters of a regex class body made of `\uXXXX` escapes, plain characters
    /// and `a-b` ranges.
    fn class_chars(class: &str) -> Vec<char> {
        let mut singles = Vec::new();
        let mut rest = class;
        while !rest.is_empty() {
            if let Some(hex) = rest.strip_prefix("\\u") {
                let code = u32::from_str_radix(&hex[..4], 16).unwrap();
                singles.push(char::from_u32(code).unwrap());
                rest = &hex[4..];
            } else {
                let c = rest.chars().next().unwrap();
                assert_ne!(c, '\\', "unexpected escape in `{class}`");
                singles.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        let mut chars = Vec::new();
        let mut at = 0;
        while at < singles.len() {
            if singles.get(at + 1) == Some(&'-') && at + 2 < singles.len() {
                chars.extend(singles[at]..=singles[at + 2]);
                at += 3;
            } else {
                chars.push(singles[at]);
                at += 1;
            }
        }
        chars
    }
}
