//! Databases: migrations (once, in order, refused when changed, rolled back when they
//! fail, raced by two hosts or two processes), SQLite and PostgreSQL alike, and passwords
//! that never show.
//!
//! One behaviour per module, named as a sentence; all of them are one test binary, so that
//! the framework is linked once for all of them. Each test registers its modules by hand
//! (nothing here discovers every linked module) and keeps its data in a fresh temp home or
//! PostgreSQL schema of its own.

mod a_changed_migration_is_refused;
mod a_database_module_keeps_its_data_across_restarts;
mod a_failed_migration_leaves_no_trace;
mod an_unreadable_database_fails_the_db_phase_in_its_modules_turn;
mod concurrent_hosts_apply_each_migration_once;
mod database_passwords_never_show;
mod database_pools_show_in_metrics;
mod db_required_names_the_config_key;
mod migrate_only_runs_no_init;
mod migrations_apply_only_once;
mod modules_sharing_a_database_keep_separate_histories;
mod two_migrations_of_a_fresh_home_at_once_both_succeed;
