//! Traces across processes: real host and child processes export their spans over
//! OTLP/gRPC to a receiver the test runs on loopback ([`modkit_tests::otlp::OtlpReceiver`]).

mod at_ratio_0_only_sampled_callers_are_traced;
mod one_request_yields_one_trace_across_host_and_child;
mod spans_reach_an_otlp_http_receiver;
mod with_tracing_off_nothing_is_exported;

use serde_json::{Value, json};

/// The host binary of these tests: every example module; `cluster-host oop-child` is the
/// calculator's child process.
const HOST: &str = env!("CARGO_BIN_EXE_cluster-host");

/// The host's log filter: the request layer's `request finished` line shows which span a
/// request's lines are written in.
const LOG_FILTER: &str = "info,modkit::api_gateway=debug";

/// A host with the calculator out of process and `tracing` as its `telemetry.tracing`.
fn traced_host_config(home: &std::path::Path, tracing: Value) -> Value {
    let mut config = modkit_tests::cluster_config(HOST, home, json!({ "backend": "host" }));
    config["telemetry"] = json!({ "tracing": tracing });
    config
}
