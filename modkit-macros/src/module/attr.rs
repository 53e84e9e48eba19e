//! The arguments of `#[modkit::module(..)]` as written. Syntax only: `validate` checks them.

use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, LitStr, Path, Token, Type, bracketed, parenthesized};

use crate::lifecycle::LifecycleArgs;
use crate::unknown_key::UnknownKey;

mod kw {
    syn::custom_keyword!(name);
    syn::custom_keyword!(deps);
    syn::custom_keyword!(capabilities);
    syn::custom_keyword!(ctor);
    syn::custom_keyword!(client);
    syn::custom_keyword!(config);
    syn::custom_keyword!(lifecycle);
}

/// `name = "users", deps = ["audit"], capabilities = [rest], ..`.
pub(crate) struct ModuleArgs(pub(crate) Punctuated<ModuleArg, Token![,]>);

/// One argument of `#[modkit::module]`, with its key kept for spans.
pub(crate) enum ModuleArg {
    /// `name = "users"`.
    Name { key: kw::name, value: LitStr },
    /// `deps = ["audit", "db-pool"]`.
    Deps {
        key: kw::deps,
        value: Punctuated<LitStr, Token![,]>,
    },
    /// `capabilities = [db, rest]`.
    Capabilities {
        key: kw::capabilities,
        value: Punctuated<Ident, Token![,]>,
    },
    /// `ctor = Users::new(..)`.
    Ctor { key: kw::ctor, value: Expr },
    /// `client = users_sdk::UsersApi` (a leading `dyn` is accepted).
    Client { key: kw::client, value: Path },
    /// `config = UsersConfig`: the type of the module's `config` section.
    Config { key: kw::config, value: Type },
    /// `lifecycle(entry = "serve", ..)`, or a bare `lifecycle` for the defaults.
    Lifecycle {
        key: kw::lifecycle,
        value: LifecycleArgs,
    },
    /// Anything else.
    Unknown(UnknownKey),
}

impl Parse for ModuleArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        Punctuated::parse_terminated(input).map(Self)
    }
}

impl Parse for ModuleArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::name) {
            let key = input.parse()?;
            input.parse::<Token![=]>()?;
            let value = input.parse()?;
            Ok(Self::Name { key, value })
        } else if lookahead.peek(kw::deps) {
            let key = input.parse()?;
            input.parse::<Token![=]>()?;
            let list;
            bracketed!(list in input);
            let value = list.parse_terminated(<LitStr as Parse>::parse, Token![,])?;
            Ok(Self::Deps { key, value })
        } else if lookahead.peek(kw::capabilities) {
            let key = input.parse()?;
            input.parse::<Token![=]>()?;
            let list;
            bracketed!(list in input);
            let value = list.parse_terminated(Ident::parse_any, Token![,])?;
            Ok(Self::Capabilities { key, value })
        } else if lookahead.peek(kw::ctor) {
            let key = input.parse()?;
            input.parse::<Token![=]>()?;
            let value = input.parse()?;
            Ok(Self::Ctor { key, value })
        } else if lookahead.peek(kw::client) {
            let key = input.parse()?;
            input.parse::<Token![=]>()?;
            input.parse::<Option<Token![dyn]>>()?;
            let value = input.parse()?;
            Ok(Self::Client { key, value })
        } else if lookahead.peek(kw::config) {
            let key = input.parse()?;
            input.parse::<Token![=]>()?;
            let value = input.parse()?;
            Ok(Self::Config { key, value })
        } else if lookahead.peek(kw::lifecycle) {
            let key = input.parse()?;
            let value = if input.peek(syn::token::Paren) {
                let arguments;
                parenthesized!(arguments in input);
                arguments.parse()?
            } else {
                LifecycleArgs(Punctuated::new())
            };
            Ok(Self::Lifecycle { key, value })
        } else if input.peek(Ident::peek_any) {
            input.parse().map(Self::Unknown)
        } else {
            Err(lookahead.error())
        }
    }
}
