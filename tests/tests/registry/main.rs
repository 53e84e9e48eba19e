//! The registry: how modules are sorted and checked, what is refused and how the refusal
//! reads, and what describing a host reports.
//!
//! One behaviour per module, named as a sentence; all of them are one test binary, so that
//! the framework is linked once for all of them.
//!
//! A module here takes the name of a module of the `modkit_tests` library on purpose
//! (`discovered-fixture`), so discovering every linked module fails in this binary: each
//! test registers its modules by hand.

mod a_million_module_chain_sorts_on_a_small_stack;
mod describing_a_host_lists_its_api_and_starts_nothing;
mod describing_a_host_lists_unused_dependencies;
mod registry_errors_are_reported_together;
