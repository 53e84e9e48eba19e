//! The layer every request goes through: request id, tracing span, timeout, panic
//! catching, `nosniff`, and turning every error answer into a [`Problem`].

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use tracing::Instrument;

use super::request_id::{REQUEST_ID, RequestIds};
use crate::rest::{PROBLEM_CONTENT_TYPE, Problem, RenderedProblem};

/// The largest error body read to become a problem's `detail`.
const DETAIL_LIMIT: usize = 4096;

/// What [`handle`] needs, shared by every request.
#[derive(Debug)]
pub(crate) struct RequestPolicy {
    pub(crate) timeout: Duration,
    pub(crate) ids: RequestIds,
}

/// The middleware (for `axum::middleware::from_fn_with_state`).
pub(crate) async fn handle(
    State(policy): State<Arc<RequestPolicy>>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let request_id = policy.ids.for_request(request.headers());
    let path = request.uri().path().to_owned();
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str),
        request_id = request_id.as_str(),
        status = tracing::field::Empty,
        latency_us = tracing::field::Empty,
    );
    request.extensions_mut().insert(request_id.clone());

    let run = tokio::time::timeout(policy.timeout, next.run(request));
    let outcome = AssertUnwindSafe(run)
        .catch_unwind()
        .instrument(span.clone())
        .await;
    let mut response = match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(_elapsed)) => {
            tracing::warn!(parent: &span, timeout = ?policy.timeout, "request timed out");
            Problem::from_status(StatusCode::GATEWAY_TIMEOUT)
                .with_detail(format!("the request took longer than {:?}", policy.timeout))
                .into_response()
        }
        Err(panic) => {
            tracing::error!(
                parent: &span,
                request_id = request_id.as_str(),
                panic = panic_message(&*panic),
                "handler panicked"
            );
            Problem::internal().into_response()
        }
    };

    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        response = as_problem(response, &path, request_id.as_str(), &span).await;
    }
    let headers = response.headers_mut();
    headers.insert(REQUEST_ID, request_id.0);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let latency = started.elapsed();
    span.record("status", status.as_u16());
    span.record("latency_us", latency.as_micros() as u64);
    tracing::debug!(parent: &span, "request finished");
    response
}

/// An error response as a problem: a handler's [`Problem`] gets the request's path and
/// id; a bare error (a rejected extractor, a 404, a 405) becomes one, with its text as the
/// detail unless it is a server error, whose text is logged and never sent.
async fn as_problem(
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
        problem.instance.get_or_insert_with(|| path.to_owned());
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
    problem
        .trace_id
        .get_or_insert_with(|| request_id.to_owned());
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

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a non-text panic payload")
}

/// The answer to a request no route matches.
pub(crate) async fn not_found() -> Response {
    Problem::from_status(StatusCode::NOT_FOUND)
        .with_detail("no route matches this path")
        .into_response()
}
