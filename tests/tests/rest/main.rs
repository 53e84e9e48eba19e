//! The REST host: the real `api-gateway` over loopback HTTP, the rest phase, the OpenAPI
//! document and the docs page, problems for every failure, readiness and draining on stop.
//!
//! One behaviour per module, named as a sentence; all of them are one test binary, so that
//! the framework is linked once for all of them. Each test registers its modules by hand
//! (nothing here discovers every linked module) and binds its servers to `127.0.0.1:0`.

mod a_body_declared_over_the_limit_is_refused_before_it_is_sent;
mod a_host_without_rest_modules_serves_health_and_docs;
mod a_panicking_handler_answers_500_and_the_server_keeps_serving;
mod a_port_in_use_fails_start_up_naming_the_address;
mod an_axum_07_path_fails_start_up_naming_the_path_to_write;
mod arrays_are_documented_as_arrays_of_their_items;
mod cors_and_rate_limits_follow_the_config;
mod duplicate_operations_fail_start_up_naming_both_modules;
mod every_failure_answers_a_problem;
mod metrics_count_requests_by_route_template_and_pass_promtool;
mod readyz_follows_the_modules_health_checks;
mod readyz_is_ok_only_between_start_up_and_stop;
mod request_ids_are_kept_or_generated_and_echoed;
mod requests_hyper_cannot_read_answer_problems;
mod rest_modules_without_a_host_are_refused;
mod rest_phase_threads_the_router_through_every_module;
mod stopping_drains_in_flight_requests;
mod text_and_html_responses_are_documented_and_served;
mod the_docs_page_renders_offline_in_headless_chromium;
mod the_openapi_document_is_valid_openapi_3_1;
mod two_schemas_under_one_name_fail_start_up_naming_both_operations;
