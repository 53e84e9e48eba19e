//! What the notes API takes and returns, and the checks on it.

use modkit::rest::Problem;
use modkit::utoipa;
use serde::{Deserialize, Serialize};

/// The longest title, in characters.
const MAX_TITLE: usize = 100;
/// The largest page.
const MAX_LIMIT: u32 = 100;
/// The page size when none is asked for.
const DEFAULT_LIMIT: u32 = 20;

/// A note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Note {
    /// Its id, given by the service.
    pub id: i64,
    /// A title, unique among the notes.
    pub title: String,
    /// The text.
    pub body: String,
}

/// What creating or replacing a note takes.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NoteInput {
    /// 1 to 100 characters, unique among the notes (surrounding spaces are dropped).
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// The text.
    pub body: String,
}

/// A page of notes, by increasing id.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotePage {
    /// The notes.
    pub items: Vec<Note>,
    /// When the page is full, its last id: pass it as `after` for the next page.
    pub next_after: Option<i64>,
}

/// `GET /v1/notes`'s query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Notes per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// Only notes with a greater id: the previous page's `next_after`.
    pub after: Option<i64>,
}

/// `/v1/notes/{id}`'s path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct NotePath {
    /// The note's id.
    pub id: i64,
}

impl NoteInput {
    /// The input with its title trimmed, or a 422 naming the field.
    pub fn checked(self) -> Result<Self, Problem> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err(Problem::invalid_field("title", "must not be empty"));
        }
        if title.chars().count() > MAX_TITLE {
            let message = format!("must be at most {MAX_TITLE} characters");
            return Err(Problem::invalid_field("title", message));
        }
        Ok(Self {
            title: title.to_owned(),
            body: self.body,
        })
    }
}

impl Page {
    /// The page size, or a 400 when it is out of range.
    pub fn limit(&self) -> Result<u32, Problem> {
        match self.limit.unwrap_or(DEFAULT_LIMIT) {
            limit @ 1..=MAX_LIMIT => Ok(limit),
            _ => Err(Problem::bad_request(format!(
                "`limit` must be between 1 and {MAX_LIMIT}"
            ))),
        }
    }
}
