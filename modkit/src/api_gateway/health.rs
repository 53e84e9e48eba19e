//! `/healthz` (the process answers) and `/readyz` (the host has started and is not
//! stopping), both with every module's state from the runtime report.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use crate::runtime::{HostState, ModuleState, RuntimeReportHandle};

/// The body of both endpoints.
#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    host: HostState,
    modules: Vec<ModuleHealth>,
}

#[derive(Debug, Serialize)]
struct ModuleHealth {
    name: String,
    state: ModuleState,
}

pub(super) fn routes(report: RuntimeReportHandle) -> Router {
    let ready_report = report.clone();
    Router::new()
        .route(
            "/healthz",
            get(move || {
                let report = report.clone();
                async move { health(&report, "ok").into_response() }
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
    if report.is_ready() {
        health(report, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, health(report, "not_ready")).into_response()
    }
}

fn health(report: &RuntimeReportHandle, status: &'static str) -> Json<Health> {
    let snapshot = report.snapshot();
    Json(Health {
        status,
        host: snapshot.host_state,
        modules: snapshot
            .modules
            .into_iter()
            .map(|module| ModuleHealth {
                name: module.name,
                state: module.state,
            })
            .collect(),
    })
}
