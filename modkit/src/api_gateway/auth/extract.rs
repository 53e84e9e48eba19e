//! [`SecurityContext`] as an axum extractor.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::response::Response;

use super::error::AuthError;
use crate::security::SecurityContext;

/// The verified caller of the request: in a handler of an operation that needs a token,
/// always there; in a public operation, there when the caller sent a valid token (take
/// `Option<SecurityContext>` there), else the extractor answers 401.
///
/// ```
/// use modkit::SecurityContext;
///
/// async fn whoami(caller: SecurityContext) -> String {
///     format!("{} of {}", caller.subject(), caller.tenant().unwrap_or("no tenant"))
/// }
/// # let _ = whoami;
/// ```
impl<S: Send + Sync> FromRequestParts<S> for SecurityContext {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Self>()
            .cloned()
            .ok_or_else(|| AuthError::Missing.answer(None))
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for SecurityContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Self>().cloned())
    }
}
