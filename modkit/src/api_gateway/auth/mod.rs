//! Bearer-token authentication and per-operation authorization (`auth` in the config).
//!
//! | file | what |
//! |---|---|
//! | `config.rs` | `auth.jwt`: issuer, audiences, algorithms, leeway, the one key source |
//! | `keys.rs` | the issuer's keys: JWKS file, JWKS URL or OIDC discovery; refreshes |
//! | `verifier.rs` | a token into a [`SecurityContext`](crate::security::SecurityContext); the cache |
//! | `gate.rs` | the middleware: authenticate, rate-limit, authorize |
//! | `extract.rs` | `SecurityContext` as a handler's extractor |
//! | `error.rs` | 401/403 problems with their `WWW-Authenticate` challenge |

mod config;
mod error;
mod extract;
mod gate;
mod keys;
mod verifier;

pub use config::{AuthConfig, JwtAlgorithm, JwtConfig};
pub use error::{AuthError, KeyError};
pub(crate) use gate::{Authenticator, Gate, handle};
pub use verifier::TokenVerifier;
