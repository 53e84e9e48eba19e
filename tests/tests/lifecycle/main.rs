//! The lifecycle: the order of the phases and hooks, deadlines, rollback, cancellation,
//! panics, the runtime report, module config and the ClientHub's dependency check.
//!
//! One behaviour per module, named as a sentence; all of them are one test binary, so that
//! the framework is linked once for all of them.
//!
//! The `#[modkit::module]`s of every module here are linked into the whole binary. So no
//! test here builds a registry from every linked module (`ModuleRegistry::discover_and_build`,
//! `RegistryBuilder::discovered()`, `TestHost::all_linked()`): each registers its modules by
//! hand or picks them by name (`TestHost::with_modules`). Module names declared with
//! `#[modkit::module]` are unique across the binary.

mod a_client_from_an_undeclared_dependency_is_refused;
mod a_failing_stop_does_not_stop_the_others_from_stopping;
mod a_hanging_health_check_is_down_after_its_timeout;
mod a_hook_past_its_deadline_fails_start_up_naming_module_hook_and_deadline;
mod a_lifecycle_impl_makes_its_module_stateful;
mod a_lifecycle_task_that_dies_marks_its_module_failed;
mod a_slow_start_fails_start_up_after_its_deadline;
mod a_stalled_init_logs_stall_warnings_until_it_ends;
mod a_supervised_module_is_restarted_with_its_dependents;
mod an_overdue_stop_is_abandoned;
mod await_ready_start_waits_for_the_signal;
mod cancelling_during_init_rolls_back;
mod concurrent_init_overlaps_independent_modules;
mod concurrent_stop_respects_reverse_dependencies;
mod deps_initialise_before_dependents;
mod failed_start_rolls_back_started_modules;
mod faults_injected_by_a_test_host;
mod leaked_tasks_are_named_and_aborted;
mod module_config_errors_name_the_field;
mod modules_stop_in_reverse_start_order;
mod panics_become_module_errors;
mod post_init_runs_only_after_every_init;
mod stop_receives_an_uncancelled_token;
mod system_modules_initialise_as_early_as_their_deps_allow;
mod the_report_times_each_hook_and_names_the_critical_path;
