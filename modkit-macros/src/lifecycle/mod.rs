//! `#[modkit::lifecycle]` on a module's impl block, and the `Runnable` impl it shares with
//! `#[modkit::module(lifecycle(..))]`: `attr` parses, `validate` checks into `ast`, `expand`
//! generates.

mod ast;
mod attr;
mod expand;
mod validate;

pub(crate) use ast::{Lifecycle, Site};
pub(crate) use attr::LifecycleArgs;
pub(crate) use expand::{expand, runnable_impl};
pub(crate) use validate::arguments;
