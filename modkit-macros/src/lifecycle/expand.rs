//! The `Runnable` impl, shared by `#[modkit::lifecycle]` and `#[modkit::module(lifecycle(..))]`.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::{Ident, ItemImpl};

use super::ast::{Lifecycle, ReadyMode};
use super::validate;

/// The impl block unchanged, then its `Runnable` impl or every error found.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let block: ItemImpl = match syn::parse2(item.clone()) {
        Ok(block) => block,
        Err(_) => {
            let message = "`#[modkit::lifecycle]` goes on the module's impl block: `impl Ticker { async fn run(..) .. }`";
            let error = syn::Error::new(Span::call_site(), message).into_compile_error();
            return quote!(#item #error);
        }
    };
    match syn::parse2(args).and_then(|args| validate::impl_block(args, &block)) {
        Ok(lifecycle) => {
            let runnable = impl_block(&block, &lifecycle);
            quote!(#item #runnable)
        }
        Err(errors) => {
            let errors = errors.into_compile_error();
            let fallback = fallback(&block);
            quote!(#item #errors #fallback)
        }
    }
}

/// `const _: () = { impl Runnable for Ticker { .. } };` after the user's impl block.
fn impl_block(block: &ItemImpl, lifecycle: &Lifecycle) -> TokenStream {
    let self_ty = &block.self_ty;
    let runnable = runnable_impl(self_ty, lifecycle);
    // Tells `#[modkit::module]`'s registration that the module is stateful.
    quote! {
        const _: () = {
            #runnable

            ::modkit::__private::inventory::submit! {
                ::modkit::__private::LifecycleDeclaration::of::<#self_ty>()
            }
        };
    }
}

/// `impl Runnable for #self_ty`, whose task calls the lifecycle method. The call is spanned
/// on the method's name, so a type error in its signature is reported there.
pub(crate) fn runnable_impl(self_ty: &dyn ToTokens, lifecycle: &Lifecycle) -> TokenStream {
    let method = &lifecycle.method;
    let stop_timeout_millis = Literal::u64_unsuffixed(lifecycle.stop_timeout_millis);
    let ready_mode = Ident::new(lifecycle.ready.variant(), Span::call_site());
    // At the method's name, but marked as generated so that rustc does not suggest edits
    // of code the user did not write.
    let span = Span::call_site().located_at(method.span());
    let call = match lifecycle.ready {
        ReadyMode::AwaitSignal => quote_spanned!(span=> Self::#method(&self, cancel, ready)),
        ReadyMode::Immediate => quote_spanned!(span=> Self::#method(&self, cancel)),
    };
    let run = quote_spanned!(span=> ::modkit::__private::into_anyhow(#call.await));
    // Without `await_ready` nobody waits for the signal.
    let drop_ready =
        (lifecycle.ready == ReadyMode::Immediate).then(|| quote!(::core::mem::drop(ready);));
    quote! {
        #[automatically_derived]
        impl ::modkit::__private::Runnable for #self_ty {
            const OPTIONS: ::modkit::__private::LifecycleOptions = ::modkit::__private::LifecycleOptions::new(
                ::modkit::__private::Duration::from_millis(#stop_timeout_millis),
                ::modkit::__private::ReadyMode::#ready_mode,
            );

            fn launch(
                self: ::modkit::__private::Arc<Self>,
                cancel: ::modkit::__private::CancellationToken,
                ready: ::modkit::__private::ReadySignal,
            ) -> ::modkit::__private::RunFuture {
                #drop_ready
                ::modkit::__private::run_future(async move { #run })
            }
        }
    }
}

/// Stands in for the `Runnable` impl when the attribute has errors, so that the module's
/// `stateful` capability does not add a second, misleading error. `None` where no impl can
/// be written (a trait impl or a generic block: the error already says why).
fn fallback(block: &ItemImpl) -> Option<TokenStream> {
    if block.trait_.is_some() || !block.generics.params.is_empty() {
        return None;
    }
    let self_ty = &block.self_ty;
    Some(quote! {
        const _: () = {
            #[automatically_derived]
            impl ::modkit::__private::Runnable for #self_ty {
                const OPTIONS: ::modkit::__private::LifecycleOptions = ::modkit::__private::LifecycleOptions::DEFAULT;

                fn launch(
                    self: ::modkit::__private::Arc<Self>,
                    _: ::modkit::__private::CancellationToken,
                    _: ::modkit::__private::ReadySignal,
                ) -> ::modkit::__private::RunFuture {
                    ::core::unreachable!("the lifecycle attribute has errors")
                }
            }
        };
    })
}

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn without_await_ready_the_signal_is_dropped_and_not_passed() {
        let item = quote! {
            impl Poller {
                async fn run(&self, cancel: CancellationToken) -> anyhow::Result<()> { Ok(()) }
            }
        };
        let expanded = super::expand(quote!(stop_timeout = "1m"), item).to_string();
        for expected in [
            "impl :: modkit :: __private :: Runnable for Poller",
            "Duration :: from_millis (60000)",
            "ReadyMode :: Immediate",
            ":: core :: mem :: drop (ready) ;",
            "Self :: run (& self , cancel) . await",
        ] {
            assert!(
                expanded.contains(expected),
                "missing `{expected}` in {expanded}"
            );
        }
    }

    #[test]
    fn a_broken_signature_still_gets_a_stand_in_runnable_impl() {
        let item = quote! {
            impl Poller {
                fn run(&mut self) {}
            }
        };
        let expanded = super::expand(quote!(), item).to_string();
        assert_eq!(expanded.matches("compile_error").count(), 4, "{expanded}");
        assert!(expanded.contains("LifecycleOptions :: DEFAULT"));
    }
}
