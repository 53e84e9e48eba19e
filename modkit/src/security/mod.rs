//! Who is calling: the [`SecurityContext`] of an authenticated request, and the task-local
//! that lets code reached from a handler (through the ClientHub, say) see it.
//!
//! The REST host (`api-gateway`, with `auth` configured) verifies the caller's bearer token
//! and runs the handler with the caller's context; handlers take it as an extractor, and
//! anything the handler calls in the same task reads it with [`SecurityContext::current`].
//! See `docs/security.md`.

mod context;

pub use context::SecurityContext;
