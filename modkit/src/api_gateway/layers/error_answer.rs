//! Turning every error answer into a [`Problem`]: a handler's own problem gets the request's
//! path and id; a bare error (a rejected extractor, a 404, a 405) becomes one.

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use crate::rest::{PROBLEM_CONTENT_TYPE, Problem, RenderedProblem};

/// The largest error body read to become a problem's `detail`.
const DETAIL_LIMIT: usize = 4096;

/// `response` (a 4xx or 5xx) as a problem for the request to `path` with id `request_id`.
///
/// A bare error's text becomes the detail, unless it is a server error: that text is
/// logged under `span` and never sent.
pub(super) async fn as_problem(
    response: Response,
    path: &str,
    request_id: &str,
    span: &tracing::Span,
) -> Response {
    let (parts, body) = response.into_parts();
    let mut problem = if let Some(RenderedProblem(problem)) = parts.extensions.get() {
        let mut problem = (**problem).clone();
        if problem.instance.is_some() && problem.trace_id.is_some() {
            return Response::from_parts(parts, body);
        }
        problem.instance.get_or_insert_with(|| path.into());
        problem
    } else if is_json(&parts.headers) {
        // A problem from elsewhere, or a handler's own JSON error body, is left as it is.
        return Response::from_parts(parts, body);
    } else {
        let text = axum::body::to_bytes(body, DETAIL_LIMIT)
            .await
            .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
            .unwrap_or_default();
        let mut problem = Problem::from_status(parts.status).with_instance(path);
        if parts.status.is_server_error() {
            if !text.is_empty() {
                tracing::error!(parent: span, request_id, error = %text, "server error");
            }
        } else if !text.is_empty() {
            problem = problem.with_detail(text);
        }
        problem
    };
    problem.trace_id.get_or_insert_with(|| request_id.into());
    let mut rendered = problem.into_response();
    copy_headers(&parts.headers, rendered.headers_mut());
    *rendered.status_mut() = parts.status;
    rendered
}

/// Keeps the original answer's headers (`Allow`, `Retry-After`, ...) but its body's.
fn copy_headers(from: &HeaderMap, to: &mut HeaderMap) {
    for (name, value) in from {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            to.append(name.clone(), value.clone());
        }
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            let essence = value.split(';').next().unwrap_or("").trim();
            essence == "application/json"
                || essence == PROBLEM_CONTENT_TYPE
                || (essence.starts_with("application/") && essence.ends_with("+json"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, StatusCode};

    #[test]
    fn json_and_problem_bodies_count_as_json() {
        for (value, expected) in [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("application/problem+json", true),
            ("application/vnd.api+json", true),
            ("text/plain", false),
            ("text/json", false),
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(is_json(&headers), expected, "{value}");
        }
    }

    #[tokio::test]
    async fn a_bare_server_error_keeps_its_headers_but_not_its_text() {
        let response = (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "3")],
            "database password is hunter2",
        )
            .into_response();
        let problem = as_problem(response, "/v1/x", "id-1", &tracing::Span::none()).await;
        assert_eq!(problem.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(problem.headers()[header::RETRY_AFTER], "3");
        assert_eq!(
            problem.headers()[header::CONTENT_TYPE],
            PROBLEM_CONTENT_TYPE
        );
        let body = axum::body::to_bytes(problem.into_body(), 4096)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(!body.contains("hunter2"), "{body}");
        assert!(body.contains("\"instance\":\"/v1/x\""), "{body}");
        assert!(body.contains("\"trace_id\":\"id-1\""), "{body}");
    }
}
