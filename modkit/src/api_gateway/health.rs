//! `/healthz` (the process answers: 200 with every module's state, last health check and
//! hook in progress) and `/readyz` (200 while the host has started, is not stopping and no
//! module required for readiness is failed or down; otherwise a 503 problem naming them).

use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use crate::contracts::Health;
use crate::rest::{PROBLEM_CONTENT_TYPE, Problem};
use crate::runtime::{
    HostState, ModuleReport, ModuleState, Readiness, RuntimeReport, RuntimeReportHandle,
    UnreadyModule,
};

/// The body of `/healthz`, and of `/readyz` when ready.
#[derive(Debug, Serialize)]
struct HealthBody {
    status: &'static str,
    host: HostState,
    modules: Vec<ModuleHealth>,
}

/// The body of `/readyz` when not ready: an RFC 9457 problem with the modules' health.
#[derive(Debug, Serialize)]
struct NotReady {
    #[serde(flatten)]
    problem: Problem,
    host: HostState,
    /// The modules that hold readiness back, and why.
    unready: Vec<UnreadyModule>,
    modules: Vec<ModuleHealth>,
}

#[derive(Debug, Serialize)]
struct ModuleHealth {
    name: String,
    state: ModuleState,
    readiness: Readiness,
    #[serde(skip_serializing_if = "Option::is_none")]
    check: Option<CheckBody>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    degraded_by: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hook_in_progress: Option<HookBody>,
}

/// A module's last health check.
#[derive(Debug, Serialize)]
struct CheckBody {
    #[serde(flatten)]
    health: Health,
    age_ms: u128,
}

/// A hook still running.
#[derive(Debug, Serialize)]
struct HookBody {
    hook: &'static str,
    running_for_ms: u128,
}

pub(super) fn routes(report: RuntimeReportHandle) -> Router {
    let ready_report = report.clone();
    Router::new()
        .route(
            "/healthz",
            get(move || {
                let report = report.clone();
                async move { Json(body("ok", report.snapshot())).into_response() }
            }),
        )
        .route(
            "/readyz",
            get(move || {
                let report = ready_report.clone();
                async move { readiness(&report) }
            }),
        )
}

fn readiness(report: &RuntimeReportHandle) -> Response {
    let snapshot = report.snapshot();
    let mut unready = snapshot.unready_modules();
    if snapshot.host_state == HostState::Ready && unready.is_empty() {
        return Json(body("ready", snapshot)).into_response();
    }
    let detail = if snapshot.host_state == HostState::Ready {
        unready
            .iter()
            .map(|module| format!("`{}` is {}", module.module, module.reason))
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        // While starting or stopping, modules not yet (or no longer) serving say nothing new.
        unready.clear();
        format!("the host is {}", host_state_name(snapshot.host_state))
    };
    let body = NotReady {
        problem: Problem::new(StatusCode::SERVICE_UNAVAILABLE, "not ready").with_detail(detail),
        host: snapshot.host_state,
        unready,
        modules: modules(snapshot),
    };
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
    );
    response
}

fn host_state_name(state: HostState) -> &'static str {
    match state {
        HostState::Starting => "starting",
        HostState::Ready => "ready",
        HostState::Stopping => "stopping",
        HostState::Stopped => "stopped",
        HostState::Failed => "failed",
    }
}

fn body(status: &'static str, snapshot: RuntimeReport) -> HealthBody {
    HealthBody {
        status,
        host: snapshot.host_state,
        modules: modules(snapshot),
    }
}

fn modules(snapshot: RuntimeReport) -> Vec<ModuleHealth> {
    snapshot.modules.into_iter().map(module_health).collect()
}

fn module_health(module: ModuleReport) -> ModuleHealth {
    let millis = |duration: Duration| duration.as_millis();
    ModuleHealth {
        name: module.name,
        state: module.state,
        readiness: module.readiness,
        check: module.last_check.map(|check| CheckBody {
            health: check.health,
            age_ms: millis(check.age),
        }),
        degraded_by: module.degraded_by,
        hook_in_progress: module.hook_in_progress.map(|hook| HookBody {
            hook: hook.phase.as_str(),
            running_for_ms: millis(hook.running_for),
        }),
    }
}
