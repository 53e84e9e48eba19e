//! Keys a macro does not know.

use proc_macro2::TokenTree;
use syn::Ident;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};

use crate::suggest;

/// A key the macro does not know, with its value skipped so that the keys after it are
/// still checked; reported with a did-you-mean.
pub(crate) struct UnknownKey(Ident);

impl Parse for UnknownKey {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key = input.call(Ident::parse_any)?;
        // `= value` or `(..)`: everything up to the next top-level comma.
        input.step(|cursor| {
            let mut rest = *cursor;
            while let Some((token, next)) = rest.token_tree() {
                if matches!(&token, TokenTree::Punct(punct) if punct.as_char() == ',') {
                    break;
                }
                rest = next;
            }
            Ok(((), rest))
        })?;
        Ok(Self(key))
    }
}

impl UnknownKey {
    /// `unknown key `dep`; did you mean `deps`?`, or the keys `expected` when none is close.
    pub(crate) fn error(&self, expected: &[&str]) -> syn::Error {
        let key = self.0.unraw().to_string();
        syn::Error::new(self.0.span(), suggest::unknown("key", &key, expected))
    }
}
