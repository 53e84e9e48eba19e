//! Procedural macros of modkit: `#[module]` and `#[lifecycle]`.
//!
//! Use them through the `modkit` crate, which re-exports and documents them. Each macro runs
//! in stages — `attr` parses its arguments, `validate` checks them into the typed config of
//! `ast`, `expand` generates code against `::modkit::__private` — and reports every problem
//! it finds in one build, next to the user's item left unchanged.

#![warn(missing_docs)]

mod duration;
mod errors;
mod lifecycle;
mod module;
mod set_once;
mod suggest;
mod unknown_key;

use proc_macro::TokenStream;

/// Declares a module:
/// `#[modkit::module(name = "users", deps = ["audit"], capabilities = [rest])]`.
///
/// Documented at `modkit::module`.
#[proc_macro_attribute]
pub fn module(args: TokenStream, item: TokenStream) -> TokenStream {
    module::expand(args.into(), item.into()).into()
}

/// Runs an `async fn` of a module as its task between start and stop:
/// `#[modkit::lifecycle(method = "run", stop_timeout = "30s", await_ready)]`.
///
/// Documented at `modkit::lifecycle`.
#[proc_macro_attribute]
pub fn lifecycle(args: TokenStream, item: TokenStream) -> TokenStream {
    lifecycle::expand(args.into(), item.into()).into()
}
