//! `#[modkit::module(..)]` on a struct: `attr` parses, `validate` checks into `ast`,
//! `expand` generates.

mod ast;
mod attr;
mod expand;
mod validate;

pub(crate) use expand::expand;
