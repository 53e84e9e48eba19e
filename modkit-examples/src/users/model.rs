//! What the users API takes and returns.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    /// Its id.
    pub id: Uuid,
    /// Display name (never empty).
    pub name: String,
    /// Email address.
    pub email: String,
}

/// What creating or replacing a user takes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewUser {
    /// Display name (not empty).
    pub name: String,
    /// Email address.
    pub email: String,
}

/// One page of users.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserPage {
    /// The users on this page, oldest first.
    pub items: Vec<User>,
    /// How many users there are in all.
    pub total: usize,
    /// The page size asked for.
    pub limit: usize,
    /// How many users were skipped.
    pub offset: usize,
}

/// `GET /v1/users`'s query.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<usize>,
    /// Users to skip (default 0).
    pub offset: Option<usize>,
}

/// `/v1/users/{id}`'s path.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct UserPath {
    /// The user's id.
    pub(crate) id: Uuid,
}

/// The largest page.
pub(crate) const MAX_PAGE: usize = 100;
/// The page size when none is asked for.
pub(crate) const DEFAULT_PAGE: usize = 20;
/// The longest name.
pub(crate) const MAX_NAME: usize = 200;

/// Why input was refused: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` {message}")]
pub struct Invalid {
    /// The field.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl NewUser {
    /// The trimmed user, or the first invalid field.
    pub fn validated(self) -> Result<Self, Invalid> {
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            return Err(Invalid {
                field: "name",
                message: "must not be empty".into(),
            });
        }
        if name.chars().count() > MAX_NAME {
            return Err(Invalid {
                field: "name",
                message: format!("must be at most {MAX_NAME} characters"),
            });
        }
        let email = self.email.trim().to_owned();
        if !is_email(&email) {
            return Err(Invalid {
                field: "email",
                message: format!("`{email}` is not an email address"),
            });
        }
        Ok(Self { name, email })
    }
}

impl Page {
    /// `(limit, offset)` with defaults, or the invalid field.
    pub fn resolved(self) -> Result<(usize, usize), Invalid> {
        let limit = self.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(Invalid {
                field: "limit",
                message: format!("must be between 1 and {MAX_PAGE}"),
            });
        }
        Ok((limit, self.offset.unwrap_or(0)))
    }
}

/// `local@domain.tld`, no whitespace, one `@`.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !text.chars().any(char::is_whitespace)
        && domain
            .split_once('.')
            .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty() && !tld.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str, email: &str) -> NewUser {
        NewUser {
            name: name.into(),
            email: email.into(),
        }
    }

    #[test]
    fn names_and_emails_are_checked() {
        assert_eq!(user("  ", "a@b.c").validated().unwrap_err().field, "name");
        for bad in ["", "a", "a@", "@b.c", "a@b", "a b@c.d", "a@b@c.d", "a@.c"] {
            assert_eq!(
                user("Ann", bad).validated().unwrap_err().field,
                "email",
                "{bad}"
            );
        }
        let ok = user(" Ann ", "ann@example.com").validated().unwrap();
        assert_eq!(ok.name, "Ann");
    }

    #[test]
    fn pages_default_and_are_bounded() {
        let page = |limit, offset| Page { limit, offset }.resolved();
        assert_eq!(page(None, None), Ok((DEFAULT_PAGE, 0)));
        assert_eq!(page(Some(0), None).unwrap_err().field, "limit");
        assert_eq!(page(Some(MAX_PAGE + 1), None).unwrap_err().field, "limit");
    }
}
