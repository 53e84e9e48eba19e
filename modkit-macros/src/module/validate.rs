//! Checks the arguments of `#[modkit::module]` and the struct it is on.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{Ident, Item, LitStr, Token};

use super::ast::{Capability, Module};
use super::attr::{ModuleArg, ModuleArgs};
use crate::errors::Errors;
use crate::lifecycle::{self, Site};
use crate::set_once::SetOnce;
use crate::suggest;
use modkit_rules::{is_kebab_case, to_kebab_case};

/// Every key `#[modkit::module]` accepts.
const KEYS: [&str; 7] = [
    "name",
    "deps",
    "capabilities",
    "ctor",
    "client",
    "config",
    "lifecycle",
];

/// Checks everything at once and reports every problem together.
pub(crate) fn module(args: ModuleArgs, item: &Item) -> syn::Result<Module> {
    let Item::Struct(item) = item else {
        let (span, found) = match item {
            Item::Enum(item) => (item.enum_token.span, "an enum"),
            Item::Union(item) => (item.union_token.span, "a union"),
            Item::Fn(item) => (item.sig.fn_token.span, "a function"),
            Item::Impl(item) => (item.impl_token.span, "an impl block"),
            _ => (Span::call_site(), "this item"),
        };
        let message = format!(
            "`#[modkit::module]` goes on a struct, not on {found}; a module is one struct built once"
        );
        return Err(syn::Error::new(span, message));
    };
    let mut errors = Errors::default();
    if !item.generics.params.is_empty() {
        let message = format!(
            "generic module `{}` is not supported; a module is built once, so give it concrete types",
            item.ident
        );
        errors.push(syn::Error::new_spanned(&item.generics, message));
    }

    let mut name = SetOnce::new("name");
    let mut deps = SetOnce::new("deps");
    let mut capabilities = SetOnce::new("capabilities");
    let mut ctor = SetOnce::new("ctor");
    let mut client = SetOnce::new("client");
    let mut config = SetOnce::new("config");
    let mut lifecycle = SetOnce::new("lifecycle");
    for arg in args.0 {
        match arg {
            ModuleArg::Name { key, value } => name.set(key.span, value, &mut errors),
            ModuleArg::Deps { key, value } => deps.set(key.span, value, &mut errors),
            ModuleArg::Capabilities { key, value } => {
                capabilities.set(key.span, value, &mut errors)
            }
            ModuleArg::Ctor { key, value } => ctor.set(key.span, value, &mut errors),
            ModuleArg::Client { key, value } => client.set(key.span, value, &mut errors),
            ModuleArg::Config { key, value } => config.set(key.span, value, &mut errors),
            ModuleArg::Lifecycle { key, value } => {
                lifecycle.set(key.span, (key.span, value), &mut errors)
            }
            ModuleArg::Unknown(key) => errors.push(key.error(&KEYS)),
        }
    }

    let name = match name.take() {
        Some(name) => {
            check_kebab_case("module name", &name, &mut errors);
            name
        }
        None => {
            let message = "missing `name = \"...\"`; every module needs a kebab-case name";
            errors.push(syn::Error::new(Span::call_site(), message));
            LitStr::new("", Span::call_site())
        }
    };
    let deps = check_deps(deps.take().unwrap_or_default(), &mut errors);
    let mut capabilities = check_capabilities(capabilities.take().unwrap_or_default(), &mut errors);
    let lifecycle = lifecycle.take().map(|(key, args)| {
        // A lifecycle is what a `Runnable` module's `stateful` capability runs.
        if !capabilities
            .iter()
            .any(|(capability, _)| capability.is_stateful())
        {
            capabilities.push((Capability::stateful(), key));
        }
        lifecycle::arguments(args, Site::Module, &mut errors)
    });

    errors.finish(Module {
        ident: item.ident.clone(),
        name,
        deps,
        capabilities,
        ctor: ctor.take(),
        client: client.take(),
        config: config.take(),
        lifecycle,
    })
}

/// Each dependency kebab-case and listed once.
fn check_deps(listed: Punctuated<LitStr, Token![,]>, errors: &mut Errors) -> Vec<LitStr> {
    let mut deps: Vec<LitStr> = Vec::new();
    for dep in listed {
        check_kebab_case("dependency", &dep, errors);
        let name = dep.value();
        if deps.iter().any(|seen| seen.value() == name) {
            let message = format!("dependency `{name}` is listed twice");
            errors.push(syn::Error::new(dep.span(), message));
        } else {
            deps.push(dep);
        }
    }
    deps
}

/// Each capability known and listed once.
fn check_capabilities(
    listed: Punctuated<Ident, Token![,]>,
    errors: &mut Errors,
) -> Vec<(Capability, Span)> {
    let keywords: Vec<&str> = Capability::all().map(Capability::keyword).collect();
    let mut capabilities: Vec<(Capability, Span)> = Vec::new();
    for ident in listed {
        let keyword = ident.unraw().to_string();
        let message = match Capability::from_keyword(&keyword) {
            None => suggest::unknown("capability", &keyword, &keywords),
            Some(capability) if capabilities.iter().any(|(seen, _)| *seen == capability) => {
                format!("capability `{keyword}` is listed twice")
            }
            Some(capability) => {
                capabilities.push((capability, ident.span()));
                continue;
            }
        };
        errors.push(syn::Error::new(ident.span(), message));
    }
    capabilities
}

/// Reports `what` (`module name`, `dependency`) unless it is kebab-case, with the
/// corrected name when there is one.
fn check_kebab_case(what: &str, literal: &LitStr, errors: &mut Errors) {
    let name = literal.value();
    if is_kebab_case(&name) {
        return;
    }
    let message = if name.is_empty() {
        format!("{what} is empty; use a kebab-case name such as `users-api`")
    } else if let Some(fixed) = to_kebab_case(&name) {
        format!("{what} `{name}` is not kebab-case; use `{fixed}`")
    } else {
        format!(
            "{what} `{name}` is not kebab-case; use lowercase letters, digits and single hyphens, starting with a letter"
        )
    };
    errors.push(syn::Error::new(literal.span(), message));
}
