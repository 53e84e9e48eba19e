//! What `#[modkit::module]` generates: a description of the module as data, and the one
//! generic function that turns it into registrations.

use std::sync::Arc;

use super::RegistryBuilder;
use super::builder::CoreRegistration;
use crate::config::TypedConfig;
use crate::contracts::Module;

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
    for install in T::CAPABILITIES {
        install(builder, T::NAME, &module);
    }
}
