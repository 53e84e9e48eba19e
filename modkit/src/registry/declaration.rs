//! What `#[modkit::module]` generates: a description of the module as data, and the one
//! generic function that turns it into registrations.

use std::any::{Any, TypeId};
use std::sync::Arc;

use super::builder::CoreRegistration;
use super::{CapabilityTag, RegistryBuilder, RunnableCap};
use crate::config::TypedConfig;
use crate::contracts::Module;
use crate::lifecycle::{Runnable, WithLifecycle};

/// Registers one capability of an already built module instance.
pub type CapabilityInstaller<T> = fn(&mut RegistryBuilder, &'static str, &Arc<T>);

/// A module described by `#[modkit::module]`.
///
/// Implemented by the macro; read the generated impl with `cargo expand`.
pub trait ModuleDeclaration: Module + Sized {
    /// The module's kebab-case name.
    const NAME: &'static str;
    /// The names of the modules it depends on.
    const DEPS: &'static [&'static str];
    /// One installer per declared capability.
    const CAPABILITIES: &'static [CapabilityInstaller<Self>];
    /// The type of the module's `config` section (`config = T`), if declared.
    const CONFIG: Option<TypedConfig> = None;

    /// Builds the module's one instance (`Default::default()` or the `ctor` expression).
    fn construct() -> Self;
}

/// Builds `T` once and registers its core and every declared capability on that one `Arc`.
pub fn register_module<T: ModuleDeclaration>(builder: &mut RegistryBuilder) {
    let module = Arc::new(T::construct());
    builder.cores.push(CoreRegistration {
        name: T::NAME,
        deps: T::DEPS,
        module: module.clone(),
        config: T::CONFIG,
        type_name: Some(std::any::type_name::<T>()),
    });
    let declared_before = builder.capabilities.len();
    for install in T::CAPABILITIES {
        install(builder, T::NAME, &module);
    }
    let declared_stateful = builder.capabilities[declared_before..]
        .iter()
        .any(|registration| registration.capability == RunnableCap::NAME);
    if !declared_stateful {
        // A `#[modkit::lifecycle]` block makes its module stateful without saying so: a
        // task nobody starts is never what was meant.
        let implied = inventory::iter::<LifecycleDeclaration>
            .into_iter()
            .find(|lifecycle| (lifecycle.module)() == TypeId::of::<T>());
        if let Some(lifecycle) = implied {
            (lifecycle.install)(builder, T::NAME, &module);
        }
    }
}

/// What `#[modkit::lifecycle]` generates besides the `Runnable` impl: that the type has a
/// lifecycle, so that [`register_module`] makes it stateful even when its
/// `#[modkit::module]` does not list `stateful`.
#[derive(Debug)]
pub struct LifecycleDeclaration {
    module: fn() -> TypeId,
    install: fn(&mut RegistryBuilder, &'static str, &dyn Any),
}

impl LifecycleDeclaration {
    /// The declaration for module type `T`.
    pub const fn of<T: Runnable>() -> Self {
        Self {
            module: TypeId::of::<T>,
            install: |builder, name, module| {
                if let Some(module) = module.downcast_ref::<Arc<T>>() {
                    builder.register_stateful_with_meta(
                        name,
                        Arc::new(WithLifecycle::new(Arc::clone(module))),
                    );
                }
            },
        }
    }
}

inventory::collect!(LifecycleDeclaration);
