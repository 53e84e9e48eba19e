//! The gRPC hub: its directory (registration with the host's secret, heartbeats, expiry,
//! watches), its health service, its Unix socket, and the checks on gRPC modules.
//!
//! One behaviour per module, named as a sentence; all of them are one test binary, so that
//! the framework is linked once for all of them. Each test registers its modules by hand
//! (nothing here discovers every linked module) and binds its servers to `127.0.0.1:0`.

mod a_registration_without_the_host_secret_is_refused;
mod directory_instances_expire_without_heartbeats;
mod directory_watchers_learn_of_every_change;
mod duplicate_grpc_service_names_are_refused;
mod grpc_calls_and_directory_instances_show_in_metrics;
mod grpc_health_is_serving_only_after_start_up;
mod grpc_health_of_a_service_follows_its_modules_check;
mod grpc_services_without_a_hub_are_refused;
mod the_grpc_hub_listens_only_when_needed;
mod the_hub_also_serves_on_a_unix_socket;
mod the_hubs_own_services_report_serving;
