//! Checks lifecycle arguments and, for `#[modkit::lifecycle]`, the impl block and the
//! signature of the method it names. Types are not resolved: the compiler checks them
//! where the method is called.

use proc_macro2::Span;
use quote::quote;
use syn::{FnArg, Ident, ImplItem, ItemImpl, LitStr, Receiver, ReturnType, Signature};

use super::ast::{Lifecycle, ReadyMode, Site};
use super::attr::{LifecycleArg, LifecycleArgs};
use crate::duration;
use crate::errors::Errors;
use crate::set_once::SetOnce;
use crate::suggest;

/// `stop_timeout` when the key is not given: 30 s.
const DEFAULT_STOP_TIMEOUT_MILLIS: u64 = 30_000;

/// Checks lifecycle arguments written at `site`.
pub(crate) fn arguments(args: LifecycleArgs, site: Site, errors: &mut Errors) -> Lifecycle {
    let mut method = SetOnce::new(site.method_key());
    let mut stop_timeout = SetOnce::new("stop_timeout");
    let mut await_ready = SetOnce::new("await_ready");
    for arg in args.0 {
        match arg {
            LifecycleArg::Method { key, value } if key == site.method_key() => {
                method.set(key.span(), value, errors);
            }
            LifecycleArg::Method { key, .. } => {
                let message = suggest::did_you_mean("key", &key.to_string(), site.method_key());
                errors.push(syn::Error::new(key.span(), message));
            }
            LifecycleArg::StopTimeout { key, value } => stop_timeout.set(key.span, value, errors),
            LifecycleArg::AwaitReady { key, value } => await_ready.set(key.span, value, errors),
            LifecycleArg::Unknown(key) => errors.push(key.error(site.keys())),
        }
    }
    let method = match method.take() {
        Some(literal) => method_name(&literal, site, errors),
        None => Ident::new(site.default_method(), Span::call_site()),
    };
    let stop_timeout_millis = stop_timeout
        .take()
        .map_or(DEFAULT_STOP_TIMEOUT_MILLIS, |literal| {
            duration::parse_literal(&literal).unwrap_or_else(|error| {
                errors.push(error);
                DEFAULT_STOP_TIMEOUT_MILLIS
            })
        });
    let ready = match await_ready.take() {
        // `await_ready` or `await_ready = true`.
        Some(None) => ReadyMode::AwaitSignal,
        Some(Some(flag)) if flag.value => ReadyMode::AwaitSignal,
        _ => ReadyMode::Immediate,
    };
    Lifecycle {
        method,
        stop_timeout_millis,
        ready,
    }
}

/// The method named by `method = "..."`, spanned on the literal.
fn method_name(literal: &LitStr, site: Site, errors: &mut Errors) -> Ident {
    literal.parse().unwrap_or_else(|_| {
        let message = format!("`{}` is not a method name", literal.value());
        errors.push(syn::Error::new(literal.span(), message));
        Ident::new(site.default_method(), literal.span())
    })
}

/// Checks `#[modkit::lifecycle]`: its arguments, the impl block and the method's signature.
pub(crate) fn impl_block(args: LifecycleArgs, block: &ItemImpl) -> syn::Result<Lifecycle> {
    let mut errors = Errors::default();
    let mut lifecycle = arguments(args, Site::ImplBlock, &mut errors);
    if let Some((_, path, _)) = &block.trait_ {
        let message =
            "`#[modkit::lifecycle]` goes on the module's inherent impl block, not on a trait impl";
        errors.push(syn::Error::new_spanned(path, message));
    } else if !block.generics.params.is_empty() {
        let message = "`#[modkit::lifecycle]` does not support generic impl blocks; a module is one concrete type";
        errors.push(syn::Error::new_spanned(&block.generics, message));
    } else {
        match find_method(block, &lifecycle) {
            Ok(signature) => {
                check_signature(signature, &lifecycle, &mut errors);
                // `await_ready` on a method that takes no `ReadySignal` (as the reference
                // allows): the task counts as ready once it has started.
                if lifecycle.ready == ReadyMode::AwaitSignal && signature.inputs.len() == 2 {
                    lifecycle.ready = ReadyMode::Immediate;
                }
                // Type errors in the generated call are reported at the method's name.
                lifecycle.method = signature.ident.clone();
            }
            Err(error) => errors.push(error),
        }
    }
    errors.finish(lifecycle)
}

/// The parameters the method takes, as the user should write them.
fn expected_parameters(ready: ReadyMode) -> &'static str {
    match ready {
        ReadyMode::Immediate => "(&self, cancel: CancellationToken)",
        ReadyMode::AwaitSignal => "(&self, cancel: CancellationToken, ready: ReadySignal)",
    }
}

/// The signature of the method the lifecycle runs; if absent, an error naming the block's
/// methods.
fn find_method<'a>(block: &'a ItemImpl, lifecycle: &Lifecycle) -> syn::Result<&'a Signature> {
    let name = &lifecycle.method;
    let signatures: Vec<&Signature> = block
        .items
        .iter()
        .filter_map(|item| match item {
            ImplItem::Fn(function) => Some(&function.sig),
            _ => None,
        })
        .collect();
    if let Some(signature) = signatures.iter().find(|signature| signature.ident == *name) {
        return Ok(signature);
    }
    let names: Vec<String> = signatures.iter().map(|s| s.ident.to_string()).collect();
    let async_names: Vec<&str> = signatures
        .iter()
        .zip(&names)
        .filter(|(signature, _)| signature.asyncness.is_some())
        .map(|(_, name)| name.as_str())
        .collect();
    let wanted = name.to_string();
    let message = if let Some(best) =
        modkit_rules::closest(&wanted, names.iter().map(String::as_str))
    {
        format!("no method `{name}` in this impl block; did you mean `{best}`?")
    } else if async_names.is_empty() {
        let parameters = expected_parameters(lifecycle.ready);
        format!(
            "no method `{name}` in this impl block; add `async fn {name}{parameters} -> anyhow::Result<()>`"
        )
    } else {
        format!(
            "no method `{name}` in this impl block; name one of its async methods with `method = \"...\"`: {}",
            suggest::list(&async_names)
        )
    };
    Err(syn::Error::new(name.span(), message))
}

/// `async fn run(&self, cancel: CancellationToken [, ready: ReadySignal]) -> Result<..>`.
fn check_signature(signature: &Signature, lifecycle: &Lifecycle, errors: &mut Errors) {
    let name = &signature.ident;
    if signature.asyncness.is_none() {
        let fn_token = &signature.fn_token;
        let message = format!("lifecycle method `{name}` must be `async`");
        errors.push(syn::Error::new_spanned(quote!(#fn_token #name), message));
    }
    match signature.inputs.first() {
        Some(FnArg::Receiver(receiver)) => {
            if let Some(problem) = receiver_problem(receiver) {
                let message = format!("lifecycle method `{name}` takes `&self`{problem}");
                errors.push(syn::Error::new_spanned(receiver, message));
            }
            check_parameter_count(signature, lifecycle.ready, errors);
        }
        _ => {
            let message = format!("lifecycle method `{name}` takes `&self` as its first parameter");
            errors.push(syn::Error::new(signature.paren_token.span.join(), message));
        }
    }
    if let ReturnType::Default = signature.output {
        let message = format!(
            "lifecycle method `{name}` must return a `Result`, such as `anyhow::Result<()>`"
        );
        errors.push(syn::Error::new(signature.paren_token.span.close(), message));
    }
}

/// What is wrong with a receiver other than `&self`, as the end of the message.
fn receiver_problem(receiver: &Receiver) -> Option<&'static str> {
    if receiver.colon_token.is_some() {
        Some(", not a `self` of another type")
    } else if receiver.reference.is_none() {
        Some(", not `self`; the runtime keeps the module in an `Arc` and lends it to the task")
    } else if receiver.mutability.is_some() {
        Some(", not `&mut self`; the module is shared, so keep mutable state behind a lock")
    } else {
        None
    }
}

/// One parameter after `&self`, or two with `await_ready`.
fn check_parameter_count(signature: &Signature, ready: ReadyMode, errors: &mut Errors) {
    let name = &signature.ident;
    let count = signature.inputs.len() - 1;
    let message = match (ready, count) {
        // With `await_ready` and no signal parameter, ready means started.
        (ReadyMode::Immediate | ReadyMode::AwaitSignal, 1) | (ReadyMode::AwaitSignal, 2) => {
            return;
        }
        (ReadyMode::AwaitSignal, _) => format!(
            "with `await_ready`, `{name}` takes `{}` (or just `(&self, cancel: CancellationToken)`, ready once started)",
            expected_parameters(ready)
        ),
        (ReadyMode::Immediate, 2) => format!(
            "without `await_ready`, `{name}` takes `{}`; add `await_ready` to the attribute to receive a `ReadySignal`",
            expected_parameters(ready)
        ),
        (ReadyMode::Immediate, _) => format!(
            "lifecycle method `{name}` takes `{}`",
            expected_parameters(ready)
        ),
    };
    errors.push(syn::Error::new_spanned(&signature.inputs, message));
}
