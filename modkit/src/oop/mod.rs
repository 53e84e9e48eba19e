//! Out-of-process modules: what the host needs to run a module in a child process.
//!
//! A module is moved out of the host by configuration alone:
//!
//! ```yaml
//! modules:
//!   calculator:
//!     config: { precision: 8 }     # reaches the child in its owner-only secret file
//!     database: { url: "postgres://calc:secret@db/calc" }   # reaches it in a private file
//!     runtime:
//!       type: oop                  # `local` (the default) runs it in the host
//!       execution:
//!         binary: ./target/release/calculator-oop
//!         args: ["--flag"]
//!         env: { RUST_LOG: info }
//!         working_directory: /srv/calculator
//!       restart:
//!         policy: on_failure       # or `never`
//!         initial_backoff: 100ms   # doubled after each crash, with jitter
//!         max_backoff: 10s
//!         max_restarts: 5          # crash-loop limit: then the module is reported failed
//!         stable_after: 30s        # a child up this long has its crash count reset
//!         unresponsive_after: 5s   # a running child missing from the directory this long
//!                                  # (its heartbeats stopped) is SIGKILLed and restarted
//!       start_timeout: 30s         # spawn until the child reports it is running
//!       stop_timeout: 30s          # SIGTERM, then SIGKILL after this grace period
//!       call_timeout: 5s           # the deadline of each call the host makes to it
//! ```
//!
//! The pieces:
//! - [`OopBackend`]: what the runtime's **oop spawn** phase and shutdown call; the
//!   [`LocalProcessBackend`](crate::backends::LocalProcessBackend) implements it with child
//!   processes.
//! - [`OopRuntimeConfig`]: the typed `modules.<name>.runtime` section.
//! - [`protocol`]: the environment variables, secret file and ready line through which a
//!   host and its child (`modkit::bootstrap::run_oop`) talk.

mod backend;
mod config;
mod error;
mod program;
pub mod protocol;
mod spawn_phase;
mod status;

pub use backend::{OopBackend, OopSpawnRequest};
pub use config::{
    Execution, OopRuntimeConfig, RestartPolicy, RestartSettings, RuntimeKind,
    configured_oop_modules,
};
pub use error::{OopConfigError, OopError};
pub use status::OopModuleStatus;

pub(crate) use spawn_phase::OopSpawnPhase;
