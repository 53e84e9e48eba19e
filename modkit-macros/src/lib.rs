//! Procedural macros of modkit. Use them through the `modkit` crate.
use proc_macro::TokenStream;

#[proc_macro_attribute]
pub fn module(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}

#[proc_macro_attribute]
pub fn lifecycle(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}
