//! Out-of-process modules: real child processes spawned by the `LocalProcessBackend`, their
//! config and secrets, restarts, stalls, SIGTERM and SIGKILL, and the calculator placed in
//! a child behind the real gRPC hub.
//!
//! One behaviour per module, named as a sentence; all of them are one test binary, so that
//! the framework is linked once for all of them. Each test registers its modules by hand
//! (nothing here discovers every linked module). The captured log (`LogCapture`) is one
//! per process: a test reads only the lines of modules whose names no other test here uses.
//!
//! `a_huge_child_line_does_not_grow_host_memory` is a binary of its own: it measures the
//! process's peak memory, which the other tests would raise.

mod a_bad_oop_binary_fails_the_spawn_phase_naming_module_and_path;
mod a_call_that_never_reached_an_instance_is_retried_on_another;
mod a_child_that_ignores_sigterm_is_killed_after_the_grace_period;
mod a_child_whose_module_is_down_tells_the_directory_it_is_not_serving;
mod a_childs_config_reaches_it_but_not_its_environ_or_cmdline;
mod a_sigkilled_host_leaves_no_orphan_child;
mod a_stalled_oop_child_fails_calls_at_their_deadline_and_is_restarted;
mod an_oop_child_killed_with_sigkill_is_restarted_and_serves_again;
mod an_oop_child_registers_heartbeats_and_deregisters_with_the_directory;
mod an_oop_child_that_always_crashes_is_given_up_and_reported_failed;
mod an_oop_placement_without_a_spawner_is_refused;
mod one_test_body_runs_in_each_placement;
mod oop_children_get_their_own_config_and_secrets_privately;
mod secret_dirs_of_dead_hosts_are_removed_at_the_next_start;
mod stopping_the_host_ends_its_oop_children;
mod the_calculator_answers_alike_in_both_placements;
mod the_first_call_after_an_oop_child_restart_succeeds;
