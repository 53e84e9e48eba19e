//! `/healthz` (the process answers) and `/readyz` (the host has started and is not
//! stopping), both with every module's state from the runtime report, and the directory's
//! state when it is kept by a backend of its own (etcd): `/healthz` answers `degraded` while
//! that backend cannot be reached.

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

#[derive(Debug, Serialize)]
struct ModuleHealth {
    name: String,
    state: ModuleState,
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
                    health(&report, status, directory).into_response()
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
    if report.is_ready() {
        health(report, "ready", directory).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            health(report, "not_ready", directory),
        )
            .into_response()
    }
}

fn health(
    report: &RuntimeReportHandle,
    status: &'static str,
    directory: Option<DirectoryHealth>,
) -> Json<Health> {
    let snapshot = report.snapshot();
    Json(Health {
        status,
        directory,
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
