//! The rules that modkit applies both at compile time, in `#[modkit::module]` and
//! `#[modkit::lifecycle]`, and at run time, in the registry and the config loader. One crate
//! with no dependencies, so that a name, a misspelt key or a duration gets the same answer
//! from the macro as from the host.
//!
//! ```
//! use modkit_rules::{closest, is_kebab_case, parse_millis, to_kebab_case};
//!
//! assert!(is_kebab_case("api-gateway"));
//! assert!(!is_kebab_case("2fa"));
//! assert_eq!(to_kebab_case("ApiGateway").as_deref(), Some("api-gateway"));
//! assert_eq!(closest("audti", ["users", "audit"]), Some("audit"));
//! assert_eq!(parse_millis("30 s"), Ok(30_000));
//! ```

#![warn(missing_docs)]

mod capabilities;
mod duration;
mod names;
mod route_path;
mod suggest;

pub use capabilities::{CAPABILITIES, CapabilityName};
pub use duration::{DurationError, parse_millis};
pub use names::{is_kebab_case, to_kebab_case};
pub use route_path::route_shape;
pub use suggest::closest;
