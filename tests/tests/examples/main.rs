//! The example modules of `modkit-examples` (users, audit, calculator, ticker) behind the
//! real gateway, on both databases, checked by schemathesis, and run by
//! `modkit::testing::TestHost`.
//!
//! One behaviour per module, named as a sentence; all of them are one test binary, so that
//! the framework is linked once for all of them. Nothing here discovers every linked
//! module: tests register the example modules by hand or pick them by name.

mod prometheus_scrapes_the_demo_request_durations;
mod schemathesis_finds_nothing_wrong_with_the_demo_api;
mod test_host_runs_chosen_modules_with_fake_clients;
mod users_crud_over_http;
mod users_work_alike_on_sqlite_and_postgresql;
