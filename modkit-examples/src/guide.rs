//! The guide in `docs/`, compiled and run as doc-tests: each chapter is the documentation
//! of one item here, so `cargo test --workspace` runs every Rust block in it.
//!
//! Compiled only when rustdoc collects doc-tests (`cfg(doctest)`); nothing here is part of
//! the crate's API. A chapter added to `docs/` gets a line here.

#[doc = include_str!("../../README.md")]
pub struct Readme;

#[doc = include_str!("../../docs/README.md")]
pub struct Contents;

#[doc = include_str!("../../docs/getting-started.md")]
pub struct GettingStarted;

#[doc = include_str!("../../docs/building-a-service.md")]
pub struct BuildingAService;

#[doc = include_str!("../../docs/lifecycle.md")]
pub struct Lifecycle;

#[doc = include_str!("../../docs/health.md")]
pub struct Health;

#[doc = include_str!("../../docs/metrics.md")]
pub struct MetricsChapter;

#[doc = include_str!("../../docs/capabilities.md")]
pub struct Capabilities;

#[doc = include_str!("../../docs/client-hub.md")]
pub struct ClientHubChapter;

#[doc = include_str!("../../docs/rest.md")]
pub struct Rest;

#[doc = include_str!("../../docs/tracing.md")]
pub struct Tracing;

#[doc = include_str!("../../docs/security.md")]
pub struct Security;

#[doc = include_str!("../../docs/database.md")]
pub struct Database;

#[doc = include_str!("../../docs/grpc-and-oop.md")]
pub struct GrpcAndOop;

#[doc = include_str!("../../docs/configuration.md")]
pub struct Configuration;

#[doc = include_str!("../../docs/running-on-several-machines.md")]
pub struct RunningOnSeveralMachines;

#[doc = include_str!("../../docs/testing.md")]
pub struct Testing;

#[doc = include_str!("../../docs/cargo-expand.md")]
pub struct CargoExpand;

#[doc = include_str!("../../docs/coming-from-cf-modkit.md")]
pub struct ComingFromCfModkit;
