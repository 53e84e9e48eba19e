//! Listing users a page at a time: `GET /v1/users`'s query, its answer, and the cursor
//! that leads from one page to the next.
//!
//! Pages are keyset pages: a page starts just after the last user of the one before, found
//! through the table's key, so every page costs the same however deep it is (an `OFFSET`
//! reads and drops every row it skips). Counting all users is a full scan, so `total` is
//! only there when asked for.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{Invalid, User};

/// The largest page.
pub const MAX_PAGE: usize = 100;
/// The page size when none is asked for.
pub const DEFAULT_PAGE: usize = 20;

/// Where a page starts: just after the user at a position of the listing order (the order
/// users were created in).
///
/// Clients see it as an opaque string, `next_cursor`, and hand it back as `cursor`; its
/// form is not a promise. Any well-formed cursor is valid: one past the last user gives an
/// empty page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cursor(i64);

impl Cursor {
    /// The cursor after the user at `position` (positions start at 1; below 0 counts as 0,
    /// before the first user).
    pub fn after(position: i64) -> Self {
        Self(position.max(0))
    }

    /// The position of the last user before the page.
    pub fn position(self) -> i64 {
        self.0
    }
}

/// The text form's length: 16 lowercase hex digits.
const CURSOR_DIGITS: usize = 16;

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl FromStr for Cursor {
    type Err = Invalid;

    fn from_str(text: &str) -> Result<Self, Invalid> {
        let well_formed = text.len() == CURSOR_DIGITS
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let value = well_formed
            .then(|| u64::from_str_radix(text, 16).ok())
            .flatten()
            .ok_or_else(|| {
                Invalid::new(
                    "cursor",
                    "is not a cursor this API gave out (pass `next_cursor` back unchanged)",
                )
            })?;
        // Past every position a database can hold: after the last user.
        Ok(Self(i64::try_from(value).unwrap_or(i64::MAX)))
    }
}

/// `GET /v1/users`'s query. Unknown parameters are refused (400), so that a client still
/// sending the former `offset` learns it is gone instead of getting the first page.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// Where the page starts: the previous page's `next_cursor` (default: the first page).
    #[param(pattern = "^[0-9a-f]{16}$", min_length = 16, max_length = 16)]
    pub cursor: Option<String>,
    /// Whether to count every user into `total` (default false): a full scan of the table,
    /// slower the more users there are.
    pub count: Option<bool>,
}

/// A [`Page`] with its defaults applied and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// How many users at most.
    pub limit: usize,
    /// Where the page starts; `None` for the first page.
    pub after: Option<Cursor>,
    /// Whether to count every user.
    pub count: bool,
}

impl Page {
    /// The page asked for, or the first invalid parameter.
    pub fn resolved(self) -> Result<PageRequest, Invalid> {
        let limit = self.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(Invalid::new(
                "limit",
                format!("must be between 1 and {MAX_PAGE}"),
            ));
        }
        let after = self.cursor.as_deref().map(Cursor::from_str).transpose()?;
        Ok(PageRequest {
            limit,
            after,
            count: self.count.unwrap_or(false),
        })
    }
}

/// One page of users.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserPage {
    /// The users on this page, oldest first.
    pub items: Vec<User>,
    /// The `cursor` of the next page; `null` on the last page.
    #[schema(pattern = "^[0-9a-f]{16}$")]
    pub next_cursor: Option<String>,
    /// How many users there are in all, with `count=true`; `null` otherwise.
    pub total: Option<u64>,
}

#[cfg(test)]
mod tests {
    use utoipa::IntoParams;
    use utoipa::openapi::path::ParameterIn;

    use super::*;

    fn page(limit: Option<usize>, cursor: Option<&str>) -> Result<PageRequest, Invalid> {
        Page {
            limit,
            cursor: cursor.map(str::to_owned),
            count: None,
        }
        .resolved()
    }

    #[test]
    fn pages_default_and_are_bounded() {
        let first = page(None, None).unwrap();
        assert_eq!(
            (first.limit, first.after, first.count),
            (DEFAULT_PAGE, None, false)
        );
        assert_eq!(page(Some(0), None).unwrap_err().field, "limit");
        assert_eq!(page(Some(MAX_PAGE + 1), None).unwrap_err().field, "limit");
        assert_eq!(page(Some(MAX_PAGE), None).unwrap().limit, MAX_PAGE);
    }

    #[test]
    fn cursors_round_trip_and_anything_else_is_refused() {
        for position in [0, 1, 4_096, i64::MAX] {
            let cursor = Cursor::after(position);
            let text = cursor.to_string();
            assert_eq!(text.len(), CURSOR_DIGITS);
            assert_eq!(text.parse::<Cursor>(), Ok(cursor));
        }
        assert_eq!(Cursor::after(-3), Cursor::after(0));
        // Well-formed but past any position: after everything.
        assert_eq!(
            "ffffffffffffffff".parse::<Cursor>(),
            Ok(Cursor::after(i64::MAX))
        );
        for bad in [
            "",
            "1",
            "000000000000000g",
            "00000000000000000",
            "000000000000000A",
            "+00000000000000f",
            "00000000000000f\n",
        ] {
            assert_eq!(
                page(None, Some(bad)).unwrap_err().field,
                "cursor",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_parameters_state_the_same_bounds_as_the_checks() {
        let parameters =
            serde_json::to_value(Page::into_params(|| Some(ParameterIn::Query))).unwrap();
        let named = |name: &str| {
            parameters
                .as_array()
                .unwrap()
                .iter()
                .find(|parameter| parameter["name"] == name)
                .unwrap_or_else(|| panic!("no `{name}` in {parameters}"))
                .clone()
        };
        let limit = named("limit");
        assert_eq!(limit["schema"]["minimum"], 1);
        assert_eq!(limit["schema"]["maximum"], MAX_PAGE);
        let cursor = named("cursor");
        assert_eq!(cursor["schema"]["minLength"], CURSOR_DIGITS);
        assert_eq!(cursor["schema"]["maxLength"], CURSOR_DIGITS);
        assert_eq!(cursor["schema"]["pattern"], "^[0-9a-f]{16}$");
        assert_eq!(named("count")["schema"]["type"], "boolean");
    }
}
