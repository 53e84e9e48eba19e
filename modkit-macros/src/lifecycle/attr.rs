//! The arguments of `#[modkit::lifecycle(..)]`, and of `lifecycle(..)` inside
//! `#[modkit::module(..)]`, as written. Syntax only: `validate` checks them.

use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitBool, LitStr, Token};

use crate::unknown_key::UnknownKey;

mod kw {
    syn::custom_keyword!(method);
    syn::custom_keyword!(entry);
    syn::custom_keyword!(stop_timeout);
    syn::custom_keyword!(await_ready);
}

/// `method = "run", stop_timeout = "30s", await_ready`.
pub(crate) struct LifecycleArgs(pub(crate) Punctuated<LifecycleArg, Token![,]>);

/// One lifecycle argument.
pub(crate) enum LifecycleArg {
    /// `method = "run"` on an impl block, `entry = "serve"` inside `#[module]`; the key is
    /// kept to check that it fits where it is written.
    Method { key: Ident, value: LitStr },
    /// `stop_timeout = "30s"`.
    StopTimeout {
        key: kw::stop_timeout,
        value: LitStr,
    },
    /// `await_ready`, or `await_ready = true|false`.
    AwaitReady {
        key: kw::await_ready,
        value: Option<LitBool>,
    },
    /// Anything else.
    Unknown(UnknownKey),
}

impl Parse for LifecycleArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        Punctuated::parse_terminated(input).map(Self)
    }
}

impl Parse for LifecycleArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::method) || lookahead.peek(kw::entry) {
            let key = input.call(Ident::parse_any)?;
            input.parse::<Token![=]>()?;
            let value = input.parse()?;
            Ok(Self::Method { key, value })
        } else if lookahead.peek(kw::stop_timeout) {
            let key = input.parse()?;
            input.parse::<Token![=]>()?;
            let value = input.parse()?;
            Ok(Self::StopTimeout { key, value })
        } else if lookahead.peek(kw::await_ready) {
            let key = input.parse()?;
            let value = match input.parse::<Option<Token![=]>>()? {
                Some(_) => Some(input.parse()?),
                None => None,
            };
            Ok(Self::AwaitReady { key, value })
        } else if input.peek(Ident::peek_any) {
            input.parse().map(Self::Unknown)
        } else {
            Err(lookahead.error())
        }
    }
}
