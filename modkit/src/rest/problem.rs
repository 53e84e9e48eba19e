//! RFC 9457 problem details: the body of every error the REST host answers.

use std::borrow::Cow;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The media type of a [`Problem`] body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An error as an HTTP response: RFC 9457 problem details, `application/problem+json`.
///
/// Return it (or `Result<_, Problem>`) from a handler. The REST host fills in
/// [`instance`](Self::instance) (the request path) and [`trace_id`](Self::trace_id) (the
/// request id) when the handler leaves them empty.
///
/// ```
/// use axum::http::StatusCode;
/// use axum::response::IntoResponse;
/// use modkit::rest::Problem;
///
/// let problem = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid user")
///     .with_detail("`email` is not an email address")
///     .with_field_error("email", "is not an email address");
/// let response = problem.into_response();
/// assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
/// assert_eq!(response.headers()["content-type"], "application/problem+json");
/// ```
// The text fields are boxed strings and slices, not `String`s and `Vec`s, to keep a
// `Problem` under 128 bytes: handlers return `Result<_, Problem>`, and clippy's
// `result_large_err` warns in every user crate from 128 bytes on (a test keeps it small).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub type_uri: Cow<'static, str>,
    /// A short summary of the kind of problem.
    pub title: Cow<'static, str>,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Box<str>>,
    /// The request path the problem is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<Box<str>>,
    /// The request id (`x-request-id`), to find the request in the logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<Box<str>>,
    /// Which input fields were wrong, and why.
    #[serde(default, skip_serializing_if = "<[FieldError]>::is_empty")]
    #[schema(value_type = Vec<FieldError>)]
    pub errors: Box<[FieldError]>,
}

/// One invalid input field of a [`Problem`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// The field, as the client named it (`email`, `limit`, `address.city`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl Problem {
    /// A problem with `status` and `title`, of type `about:blank`.
    pub fn new(status: StatusCode, title: impl Into<Cow<'static, str>>) -> Self {
        Self {
            type_uri: Cow::Borrowed("about:blank"),
            title: title.into(),
            status: status.as_u16(),
            detail: None,
            instance: None,
            trace_id: None,
            errors: Box::default(),
        }
    }

    /// A problem titled with the status's reason phrase (`Not Found`, ...).
    pub fn from_status(status: StatusCode) -> Self {
        Self::new(status, status.canonical_reason().unwrap_or("Error"))
    }

    /// 400 Bad Request with `detail`.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::from_status(StatusCode::BAD_REQUEST).with_detail(detail)
    }

    /// 404 Not Found with `detail`.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::from_status(StatusCode::NOT_FOUND).with_detail(detail)
    }

    /// 409 Conflict with `detail`.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::from_status(StatusCode::CONFLICT).with_detail(detail)
    }

    /// 422 Unprocessable Content naming the invalid `field`.
    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let message = message.into();
        Self::from_status(StatusCode::UNPROCESSABLE_ENTITY)
            .with_detail(format!("`{field}` {message}"))
            .with_field_error(field, message)
    }

    /// 500 Internal Server Error; says nothing about the cause (log it instead).
    pub fn internal() -> Self {
        Self::from_status(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// Sets the problem type URI.
    pub fn with_type(mut self, type_uri: impl Into<Cow<'static, str>>) -> Self {
        self.type_uri = type_uri.into();
        self
    }

    /// Sets what went wrong with this request.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into().into_boxed_str());
        self
    }

    /// Sets the request path the problem is about.
    pub fn with_instance(mut self, instance: impl Into<String>) -> Self {
        self.instance = Some(instance.into().into_boxed_str());
        self
    }

    /// Sets the request id.
    pub fn with_trace_id(mut self, trace_id: impl Into<String>) -> Self {
        self.trace_id = Some(trace_id.into().into_boxed_str());
        self
    }

    /// Adds an invalid field.
    pub fn with_field_error(
        mut self,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let mut errors = std::mem::take(&mut self.errors).into_vec();
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
        self.errors = errors.into_boxed_slice();
        self
    }

    /// The status as a [`StatusCode`] (500 if the number is not a valid status).
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The problem as a response without keeping it for the REST host to complete.
    pub(crate) fn render(&self) -> Response {
        let body = serde_json::to_vec(self).unwrap_or_else(|_| {
            br#"{"type":"about:blank","title":"Internal Server Error","status":500}"#.to_vec()
        });
        let mut response = (self.status_code(), body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        );
        response
    }
}

/// Kept in a problem response's extensions so that the REST host can add the request's
/// path and id to it.
#[derive(Debug, Clone)]
pub(crate) struct RenderedProblem(pub(crate) Box<Problem>);

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = self.render();
        response
            .extensions_mut()
            .insert(RenderedProblem(Box::new(self)));
        response
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.title)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problem {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_small_enough_to_return_in_a_result() {
        // clippy's `result_large_err` fires from 128 bytes on.
        assert!(size_of::<Problem>() < 128, "{} bytes", size_of::<Problem>());
    }

    #[test]
    fn serialises_the_rfc_9457_members() {
        let problem = Problem::invalid_field("email", "is not an email address")
            .with_instance("/v1/users")
            .with_trace_id("abc");
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["type"], "about:blank");
        assert_eq!(json["title"], "Unprocessable Entity");
        assert_eq!(json["status"], 422);
        assert_eq!(json["detail"], "`email` is not an email address");
        assert_eq!(json["instance"], "/v1/users");
        assert_eq!(json["trace_id"], "abc");
        assert_eq!(json["errors"][0]["field"], "email");
    }

    #[test]
    fn empty_members_are_left_out() {
        let json = serde_json::to_value(Problem::from_status(StatusCode::NOT_FOUND)).unwrap();
        let object = json.as_object().unwrap();
        assert!(!object.contains_key("detail"));
        assert!(!object.contains_key("errors"));
    }
}
