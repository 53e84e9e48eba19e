//! The module's declaration: one `ModuleDeclaration` impl and one `inventory` submission.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::ast::{Capability, Module};
use super::attr::ModuleArgs;
use super::validate;
use crate::lifecycle;

/// The struct unchanged, then its declaration or every error found.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let declaration = syn::parse2::<ModuleArgs>(args)
        .and_then(|args| validate::module(args, &syn::parse2(item.clone())?))
        .map(|module| declaration(&module));
    match declaration {
        Ok(declaration) => quote!(#item #declaration),
        Err(errors) => {
            let errors = errors.into_compile_error();
            quote!(#item #errors)
        }
    }
}

/// Everything after the user's struct, in one `const _: () = { .. };`.
fn declaration(module: &Module) -> TokenStream {
    let Module {
        ident,
        name,
        deps,
        capabilities,
        ctor,
        client,
        config,
        lifecycle,
    } = module;
    // A `#[modkit::lifecycle]` block adds `stateful` by itself (see `LifecycleDeclaration`).
    let installers: Vec<TokenStream> = capabilities
        .iter()
        .map(|&(capability, span)| installer(capability, span))
        .collect();
    let construct = match ctor {
        Some(ctor) => quote!(#ctor),
        None => {
            quote_spanned!(ident.span()=> ::modkit::__private::capability::default_module::<Self>())
        }
    };
    // Spanned on the struct's name: a struct without `impl Module` is reported there.
    let declaration =
        quote_spanned!(ident.span()=> impl ::modkit::__private::ModuleDeclaration for #ident);
    let runnable = lifecycle
        .as_ref()
        .map(|lifecycle| lifecycle::runnable_impl(ident, lifecycle));
    let client = client.as_ref().map(|client| {
        quote_spanned! {client.span()=>
            const _: () = ::modkit::__private::assert_client_trait::<dyn #client>();
        }
    });
    // Spanned on the type: one that cannot be deserialized is reported there.
    let config = config.as_ref().map(|config| {
        quote_spanned! {config.span()=>
            const CONFIG: ::core::option::Option<::modkit::__private::TypedConfig> =
                ::core::option::Option::Some(::modkit::__private::TypedConfig::of::<#config>());
        }
    });
    quote! {
        const _: () = {
            #[automatically_derived]
            #declaration {
                const NAME: &'static str = #name;
                const DEPS: &'static [&'static str] = &[#(#deps),*];
                #config
                const CAPABILITIES: &'static [::modkit::__private::CapabilityInstaller<Self>] = &[
                    #(#installers,)*
                ];

                fn construct() -> Self {
                    #construct
                }
            }

            #[automatically_derived]
            impl #ident {
                /// The module's name, as `#[modkit::module(name = ..)]` gives it.
                pub const MODULE_NAME: &'static str = #name;
            }

            #runnable
            #client

            ::modkit::__private::inventory::submit! {
                ::modkit::__private::Registrator(::modkit::__private::register_module::<#ident>)
            }
        };
    }
}

/// The installer of one capability, spanned on its keyword: a missing trait impl is
/// reported as an ordinary trait-bound error there.
fn installer(capability: Capability, span: Span) -> TokenStream {
    if capability.is_stateful() {
        // A `Runnable` module is wrapped in `WithLifecycle`; any other must implement
        // `RunnableCapability` (autoref dispatch, see `__private::capability::Stateful`).
        let install = quote_spanned! {span=>
            (&::modkit::__private::capability::Stateful(module)).install(registry, name)
        };
        return quote! {
            |registry, name, module| {
                use ::modkit::__private::capability::{StatefulViaCapability as _, StatefulViaLifecycle as _};
                #install
            }
        };
    }
    let tag = Ident::new(capability.tag(), span);
    // The coercion of `Arc<Self>` to the capability's trait object is where a missing impl
    // is found: the trait's own message, at the keyword, and nothing of modkit's insides.
    quote_spanned! {span=>
        |registry, name, module| {
            registry.register::<::modkit::registry::#tag>(
                name,
                <::modkit::__private::Arc<Self> as ::core::clone::Clone>::clone(module),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    /// `cargo test -p modkit-macros -- --nocapture` prints the expansion.
    #[test]
    fn a_full_declaration_expands_to_one_const_block_after_the_struct() {
        let args = quote! {
            name = "ticker", deps = ["audit"], capabilities = [system],
            client = sdk::TickerApi, config = TickerConfig,
            lifecycle(entry = "serve", stop_timeout = "5s", await_ready)
        };
        let item = quote!(
            pub struct Ticker;
        );
        let expanded = super::expand(args, item).to_string();
        println!("{expanded}");
        assert!(expanded.starts_with("pub struct Ticker ;"));
        for expected in [
            "impl :: modkit :: __private :: ModuleDeclaration for Ticker",
            "const NAME : & 'static str = \"ticker\"",
            "const DEPS : & 'static [& 'static str] = & [\"audit\"]",
            "registry . register :: < :: modkit :: registry :: SystemCap > (name , < :: modkit :: __private :: Arc < Self > as :: core :: clone :: Clone > :: clone (module) ,)",
            "(& :: modkit :: __private :: capability :: Stateful (module)) . install (registry , name)",
            "fn construct () -> Self { :: modkit :: __private :: capability :: default_module :: < Self > () }",
            "impl :: modkit :: __private :: Runnable for Ticker",
            "Duration :: from_millis (5000)",
            "ReadyMode :: AwaitSignal",
            "Self :: serve (& self , cancel , ready)",
            "assert_client_trait :: < dyn sdk :: TickerApi > ()",
            "TypedConfig :: of :: < TickerConfig > ()",
            "register_module :: < Ticker >",
            "pub const MODULE_NAME : & 'static str = \"ticker\"",
        ] {
            assert!(
                expanded.contains(expected),
                "missing `{expected}` in {expanded}"
            );
        }
        assert!(!expanded.contains("compile_error"));
    }

    #[test]
    fn errors_are_reported_together_after_the_unchanged_struct() {
        let args = quote!(
            name = "Ticker_Api",
            capabilities = [rets, rest, rest],
            dep = []
        );
        let item = quote!(
            pub struct Ticker;
        );
        let expanded = super::expand(args, item).to_string();
        assert!(expanded.starts_with("pub struct Ticker ;"));
        assert_eq!(expanded.matches("compile_error").count(), 4, "{expanded}");
        assert!(!expanded.contains("ModuleDeclaration"));
    }
}
