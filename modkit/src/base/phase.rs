use std::fmt;

use serde::Serialize;

/// A lifecycle phase. The start-up order is data ([`Phase::STARTUP`]) that one runner loop
/// walks; [`Phase::Stop`] runs at shutdown and on rollback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// System modules' [`pre_init`](crate::SystemCapability::pre_init).
    PreInit,
    /// Database migrations of `db` modules.
    Db,
    /// Every module's [`init`](crate::Module::init).
    Init,
    /// System modules' [`post_init`](crate::SystemCapability::post_init).
    PostInit,
    /// REST routes and the OpenAPI document.
    Rest,
    /// gRPC services handed to the hub.
    Grpc,
    /// Runnable modules' [`start`](crate::RunnableCapability::start).
    Start,
    /// Out-of-process modules' child processes.
    OopSpawn,
    /// Runnable modules' [`stop`](crate::RunnableCapability::stop), in reverse.
    Stop,
}

impl Phase {
    /// The start-up phases of [`RunMode::Full`](crate::runtime::RunMode::Full), in order.
    pub const STARTUP: &'static [Phase] = &[
        Phase::PreInit,
        Phase::Db,
        Phase::Init,
        Phase::PostInit,
        Phase::Rest,
        Phase::Grpc,
        Phase::Start,
        Phase::OopSpawn,
    ];

    /// The phases of [`HostRuntime::describe`](crate::runtime::HostRuntime::describe), in order:
    /// every hook that shapes the host's API, and none that touches a database schema,
    /// serves or spawns.
    pub const DESCRIPTION: &'static [Phase] = &[
        Phase::PreInit,
        Phase::Init,
        Phase::PostInit,
        Phase::Rest,
        Phase::Grpc,
    ];

    /// The phases of [`RunMode::MigrateOnly`](crate::runtime::RunMode::MigrateOnly), in order.
    pub const MIGRATION: &'static [Phase] = &[Phase::PreInit, Phase::Db];

    /// The snake_case name used in logs, reports and errors.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::PreInit => "pre_init",
            Phase::Db => "db",
            Phase::Init => "init",
            Phase::PostInit => "post_init",
            Phase::Rest => "rest",
            Phase::Grpc => "grpc",
            Phase::Start => "start",
            Phase::OopSpawn => "oop_spawn",
            Phase::Stop => "stop",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
