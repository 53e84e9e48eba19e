//! Why a request is not let through (401 or 403, as a problem with an RFC 6750
//! `WWW-Authenticate` challenge), and why the keys could not be loaded.

use std::path::PathBuf;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::rest::Problem;

/// Why a request's credentials were refused. The texts are fixed (no token content) and
/// safe inside the quoted `error_description` of the challenge.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// No `Authorization` header.
    #[error("this operation needs a bearer token")]
    Missing,
    /// An `Authorization` header of another scheme (`Basic`, ...).
    #[error("only the `Bearer` authorization scheme is accepted")]
    NotBearer,
    /// More than one `Authorization` header.
    #[error("more than one authorization header")]
    Duplicate,
    /// Longer than `max_token_bytes`.
    #[error("the token is too long")]
    TooLong,
    /// Not three base64url parts with a JSON header.
    #[error("the token is malformed")]
    Malformed,
    /// Signed with an algorithm not configured (`none`, `HS256`, ...).
    #[error("the token's signing algorithm is not accepted")]
    Algorithm,
    /// No key of the token's `kid` and algorithm, even after fetching the keys again.
    #[error("the token's signing key is unknown")]
    UnknownKey,
    /// The signature does not verify.
    #[error("the token's signature is invalid")]
    Signature,
    /// `exp` has passed.
    #[error("the token has expired")]
    Expired,
    /// `nbf` is still to come.
    #[error("the token is not valid yet")]
    NotYetValid,
    /// `iss` is not the configured issuer.
    #[error("the token's issuer is not accepted")]
    Issuer,
    /// `aud` names none of the configured audiences.
    #[error("the token's audience is not accepted")]
    Audience,
    /// A required claim (`sub`, `exp`, `iss`, `aud`) is missing or of the wrong type.
    #[error("the token lacks a required claim")]
    Claims,
    /// Valid, but without every scope the operation requires.
    #[error("the token lacks a scope this operation requires")]
    InsufficientScope {
        /// The operation's scopes, space separated.
        required: String,
    },
    /// Valid, but without every role the operation requires.
    #[error("the token lacks a role this operation requires ({required})")]
    InsufficientRole {
        /// The operation's roles, space separated.
        required: String,
    },
}

impl AuthError {
    /// The 401 or 403 problem for this refusal, with its challenge.
    pub(crate) fn answer(&self, realm: Option<&str>) -> Response {
        let mut params: Vec<String> = realm
            .map(|r| format!("realm=\"{r}\""))
            .into_iter()
            .collect();
        let (status, title, error) = match self {
            // No credentials (or another scheme's): a bare challenge (RFC 6750, 3.1).
            Self::Missing | Self::NotBearer => (StatusCode::UNAUTHORIZED, "Unauthorized", None),
            Self::Duplicate => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                Some("invalid_request"),
            ),
            Self::InsufficientScope { .. } | Self::InsufficientRole { .. } => (
                StatusCode::FORBIDDEN,
                "Forbidden",
                Some("insufficient_scope"),
            ),
            _ => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                Some("invalid_token"),
            ),
        };
        if let Some(error) = error {
            params.push(format!("error=\"{error}\""));
            params.push(format!("error_description=\"{self}\""));
        }
        if let Self::InsufficientScope { required } = self {
            params.push(format!("scope=\"{required}\""));
        }
        let challenge = if params.is_empty() {
            "Bearer".to_owned()
        } else {
            format!("Bearer {}", params.join(", "))
        };
        let mut response = Problem::new(status, title)
            .with_detail(self.to_string())
            .into_response();
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }

    /// The refusal `jsonwebtoken` reports, in our words.
    pub(super) fn from_jsonwebtoken(error: &jsonwebtoken::errors::Error) -> Self {
        use jsonwebtoken::errors::ErrorKind;
        match error.kind() {
            ErrorKind::InvalidSignature => Self::Signature,
            ErrorKind::ExpiredSignature => Self::Expired,
            ErrorKind::ImmatureSignature => Self::NotYetValid,
            ErrorKind::InvalidIssuer => Self::Issuer,
            ErrorKind::InvalidAudience => Self::Audience,
            ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => Self::Algorithm,
            ErrorKind::MissingRequiredClaim(_) | ErrorKind::InvalidSubject => Self::Claims,
            _ => Self::Malformed,
        }
    }
}

/// Why the token signing keys could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The `auth.jwt` section cannot be served.
    #[error("invalid {0}")]
    Config(String),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client that fetches token signing keys: {0}")]
    Client(String),
    /// `jwks_file` could not be read.
    #[error("cannot read `modules.api-gateway.config.auth.jwt.jwks_file` `{}`", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A key URL could not be fetched.
    #[error("cannot fetch token signing keys from `{from}`: {reason}")]
    Fetch {
        /// The URL.
        from: String,
        /// Why.
        reason: String,
    },
    /// A JWKS or discovery document is not what it should be.
    #[error("the key document `{from}` is refused: {reason}")]
    Document {
        /// Its file or URL.
        from: String,
        /// Why.
        reason: String,
    },
}
