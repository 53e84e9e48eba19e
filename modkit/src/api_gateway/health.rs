//! `/healthz` (the process answers: 200 with every module's state, last health check and
//! hook in progress) and `/readyz` (200 while the host has started, is not stopping and no
//! module required for readiness is failed or down; otherwise a 503 problem naming them).
//! Both show the directory's state when a backend of its own keeps it (etcd): `/healthz`
//! answers `degraded` while that backend cannot be reached.

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
    #[serde(skip_serializing_if = "Option::is_none")]
    directory: Option<DirectoryHealth>,
}

#[derive(Debug, Serialize)]
struct DirectoryHealth {
    backend: &'static str,
    degraded: bool,
}

/// The host's directory, when a backend of its own keeps it.
#[cfg(feature = "grpc-hub")]
pub(super) type Directory = Option<std::sync::Arc<dyn crate::directory::DirectoryView>>;
#[cfg(not(feature = "grpc-hub"))]
pub(super) type Directory = Option<std::sync::Arc<std::convert::Infallible>>;

fn directory_health(directory: &Directory) -> Option<DirectoryHealth> {
    #[cfg(feature = "grpc-hub")]
    {
        directory.as_ref().map(|view| DirectoryHealth {
            backend: view.backend(),
            degraded: view.degraded(),
        })
    }
    #[cfg(not(feature = "grpc-hub"))]
    {
        directory.as_ref().map(|never| match **never {})
    }
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
    #[serde(skip_serializing_if = "Option::is_none")]
    directory: Option<DirectoryHealth>,
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

pub(super) fn routes(report: RuntimeReportHandle, directory: Directory) -> Router {
    let ready_report = report.clone();
    let ready_directory = directory.clone();
    Router::new()
        .route(
            "/healthz",
            get(move || {
                let (report, directory) = (report.clone(), directory_health(&directory));
                async move {
                    let degraded = directory.as_ref().is_some_and(|d| d.degraded);
                    let status = if degraded { "degraded" } else { "ok" };
                    Json(body(status, report.snapshot(), directory)).into_response()
                }
            }),
        )
        .route(
            "/readyz",
            get(move || {
                let (report, directory) =
                    (ready_report.clone(), directory_health(&ready_directory));
                async move { readiness(&report, directory) }
            }),
        )
}

fn readiness(report: &RuntimeReportHandle, directory: Option<DirectoryHealth>) -> Response {
    let snapshot = report.snapshot();
    let mut unready = snapshot.unready_modules();
    if snapshot.host_state == HostState::Ready && unready.is_empty() {
        return Json(body("ready", snapshot, directory)).into_response();
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
        directory,
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

fn body(
    status: &'static str,
    snapshot: RuntimeReport,
    directory: Option<DirectoryHealth>,
) -> HealthBody {
    HealthBody {
        status,
        host: snapshot.host_state,
        modules: modules(snapshot),
        directory,
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
