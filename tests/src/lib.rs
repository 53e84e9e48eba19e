//! Shared fixtures for modkit's tests: a small API so that a lifecycle test reads as
//! "expect init(a), init(b), start(b)".
//!
//! * [`EventLog`] records what modules did, as [`Event`]s, in order; [`init`], [`start`],
//!   [`stop`], ... build expected events, and [`EventLog::assert_order`],
//!   [`EventLog::assert_subsequence`] and [`EventLog::position`] check them.
//! * [`RecordingModule`] is a module that records every hook into the log and fails,
//!   panics, hangs, waits on a barrier or spawns tasks on request.
//! * [`TestHost`] runs a registry through [`HostRuntime`](modkit::HostRuntime) with every
//!   wait bounded by [`PATIENCE`], so a runtime bug fails a test instead of hanging it.
//! * [`FakeRestHost`], [`RouteModule`], [`FakeGrpcHub`] and [`ServiceModule`] stand in for
//!   the REST host, REST modules, the gRPC hub and gRPC modules; [`register_grpc_hub`] and
//!   [`loopback_hub`] set up the real gRPC hub on a free loopback port.
//! * [`TestDb`] is a real database for a test (SQLite, or PostgreSQL when
//!   [`POSTGRES_URL_VAR`] is set) with the queries that check results; [`DbModule`] is a
//!   module with the migrations a test gives it.
//! * [`register_gateway`] and [`ServedHost`] run the real `api-gateway` on `127.0.0.1:0`
//!   and talk to it over loopback HTTP.
//! * [`PrometheusServer`] is a real Prometheus scraping a test's host.
//! * [`HealthSwitch`] is a module with the `health` capability whose check answers what
//!   the test sets.
//! * [`ProbeApi`] is a REST module whose operations fail in every way a request can.
//! * [`StubDirectoryHub`], [`OopStandIn`], [`oop_section`], [`spawn_detached`], [`LogCapture`]
//!   and [`wait_until_gone`] help out-of-process tests run real child processes.
//! * [`OopCalculator`] runs the example calculator in a real child process behind the real
//!   gRPC hub, as the demo host does.
//! * [`security`] has signing keys generated at run time, a JWKS server on loopback and
//!   a REST module that reports its caller, for the authentication tests.
//! * [`EtcdMember`], [`etcd_url`], [`HostProcess`] and [`cluster_config`] run etcd and whole
//!   host processes whose directory is on etcd, for the cluster tests.
//! * [`otlp::OtlpReceiver`] receives the spans hosts and children export over OTLP (gRPC or
//!   HTTP), for the observability tests.
//! * [`discovered`] declares modules with `#[modkit::module]` for discovery tests.
//!
//! ```
//! # #[tokio::main(flavor = "multi_thread", worker_threads = 2)]
//! # async fn main() {
//! use modkit::registry::RegistryBuilder;
//! use modkit_tests::{EventLog, RecordingModule, TestHost, init, start, stop};
//!
//! let log = EventLog::new();
//! let mut builder = RegistryBuilder::default();
//! RecordingModule::new("a", &log).stateful().register(&mut builder);
//! RecordingModule::new("b", &log).deps(&["a"]).stateful().register(&mut builder);
//! TestHost::new(builder).run_until_ready_then_shut_down().await.assert_ok();
//! log.assert_order(&[init("a"), init("b"), start("a"), start("b"), stop("b"), stop("a")]);
//! # }
//! ```

mod calculator;
mod cluster;
mod db;
pub mod discovered;
mod event_log;
mod expect;
mod gateway;
mod grpc;
mod health;
mod json_route;
mod oop;
pub mod otlp;
pub mod outside;
mod probe_api;
mod prometheus;
mod raw_http;
mod recording_module;
mod rest;
pub mod security;
mod test_host;
pub mod tls;

pub use calculator::OopCalculator;
pub use cluster::{
    ETCD_URL_VAR, EtcdMember, HostProcess, cluster_config, etcd_client, etcd_keys, etcd_url,
    free_port, signal, unique_prefix,
};
pub use db::{
    DbModule, DbProbe, POSTGRES_URL_VAR, PgSchema, TempHome, TestDb, postgres_url, table_migrations,
};
pub use event_log::{Event, EventLog, Hook, Step};
pub use expect::{called, init, mark, post_init, pre_init, start, stop, task_ended};
pub use gateway::{ServedHost, register_gateway, with_loopback_gateway};
pub use grpc::{FakeGrpcHub, ServiceModule, loopback_hub, register_grpc_hub};
pub use health::{CheckBehaviour, HealthSwitch};
pub use json_route::JsonRoute;
pub use oop::{
    LogCapture, LogLine, OopStandIn, StubDirectoryHub, health_check, oop_section, process_is_gone,
    process_is_stopped, spawn_detached, wait_until_gone,
};
pub use probe_api::{Item, ProbeApi};
pub use prometheus::{PrometheusServer, SCRAPE_INTERVAL};
pub use raw_http::{RawResponse, exchange};
pub use recording_module::{ModuleProbe, RecordingModule};
pub use rest::{FakeRestHost, RouteModule};
pub use test_host::{Finished, PATIENCE, RunningHost, TestHost, within};

/// `error` and its causes, `: `-separated, for assertion messages.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
