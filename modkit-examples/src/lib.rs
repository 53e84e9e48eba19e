//! Example modules for modkit, linked together by the `demo-host` binary.
//!
//! * [`calculator`] adds numbers in-process or in a child process, by configuration, and
//!   answers `GET /v1/calc/add` through the module `calculator-gateway`.
//! * [`audit`] keeps a log of notable events and offers it to other modules as a client.
//! * [`ticker`] is a long-running module written with `#[modkit::lifecycle]`: it ticks on
//!   an interval and records each tick through the audit client.
//! * [`users`] is a REST module: CRUD of users on `/v1/users`, documented in OpenAPI,
//!   served by the built-in `api-gateway`; it records creations and deletions through the
//!   audit client.
//!
//! A host links this crate with `use modkit_examples as _;` and finds both modules with
//! [`ModuleRegistry::discover_and_build`](modkit::ModuleRegistry::discover_and_build).

#![warn(missing_docs)]

pub mod audit;
pub mod calculator;
pub mod ticker;
pub mod users;

#[cfg(doctest)]
pub mod guide;
