//! Beyond one machine: the directory on etcd (`directory.backend: etcd`), with real etcd
//! members and real host and child processes over loopback.
//!
//! The tests share the etcd member `.ci/run` starts (`MODKIT_TEST_ETCD_URL`), each under a
//! key prefix of its own; a test that stops etcd starts a private member
//! ([`modkit_tests::EtcdMember`]). Without etcd each says in one line that it skips.

mod a_bad_directory_section_fails_check_naming_the_key;
mod a_duplicated_instance_id_is_refused;
mod a_garbage_record_is_skipped_with_a_warning_naming_its_key;
mod a_host_keeps_serving_and_shows_degraded_while_etcd_is_stopped;
mod a_sigkilled_childs_key_is_gone_within_its_ttl;
mod a_wrong_etcd_password_names_the_user_not_the_password;
mod an_unreachable_etcd_fails_host_start_naming_the_endpoints;
mod the_oop_calculator_registers_in_etcd_and_answers_over_rest;
mod the_view_keeps_serving_while_etcd_is_stopped;
