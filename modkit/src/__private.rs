//! The surface `#[modkit::module]` and `#[modkit::lifecycle]` generate code against.
//!
//! Not public API: names here change without notice. Generated code names nothing but
//! `::core`, `::std` and this module, so a user crate needs no dependency but `modkit`.

pub use std::sync::Arc;
pub use std::time::Duration;

pub use anyhow;
pub use async_trait::async_trait;
pub use inventory;
pub use tokio_util::sync::CancellationToken;

pub use crate::config::TypedConfig;
pub use crate::contracts::Module;
pub use crate::lifecycle::RunFuture;
pub use crate::lifecycle::{LifecycleOptions, ReadyMode, ReadySignal, Runnable, WithLifecycle};
pub use crate::registry::{
    CapabilityInstaller, LifecycleDeclaration, ModuleDeclaration, Registrator, RegistryBuilder,
    register_module,
};

/// Adapts the `run` method's result (`anyhow::Result<()>` or any `Result<(), E>` with
/// `E: Into<anyhow::Error>`) to the runtime's.
pub fn into_anyhow<E: Into<anyhow::Error>>(result: Result<(), E>) -> anyhow::Result<()> {
    result.map_err(Into::into)
}

/// Boxes a lifecycle task's future.
pub fn run_future<F>(future: F) -> RunFuture
where
    F: std::future::Future<Output = anyhow::Result<()>> + Send + 'static,
{
    Box::pin(future)
}

/// Fails to compile unless `T` can be a ClientHub key (`client = path::Trait`).
pub const fn assert_client_trait<T: ?Sized + Send + Sync + 'static>() {}

/// What `#[modkit::module]` needs beyond `RegistryBuilder::register::<Tag>`, which every
/// other capability keyword goes through.
pub mod capability {
    use std::sync::Arc;

    use crate::registry::RegistryBuilder;

    /// `stateful`: a [`Runnable`](crate::lifecycle::Runnable) module (from
    /// `#[modkit::lifecycle]`) is wrapped in [`WithLifecycle`](crate::lifecycle::WithLifecycle);
    /// any other module must implement [`RunnableCapability`](crate::RunnableCapability)
    /// itself. The choice is made at compile time: `(&Stateful(module)).install(registry, name)` finds
    /// the `Runnable` impl first and falls back to the auto-referenced one.
    #[derive(Debug)]
    pub struct Stateful<'a, T>(pub &'a Arc<T>);

    /// `stateful` for a `Runnable` module.
    pub trait StatefulViaLifecycle {
        /// Registers the module's lifecycle wrapper.
        fn install(&self, registry: &mut RegistryBuilder, name: &'static str);
    }

    impl<T: crate::lifecycle::Runnable> StatefulViaLifecycle for Stateful<'_, T> {
        fn install(&self, registry: &mut RegistryBuilder, name: &'static str) {
            registry.register_stateful_with_meta(
                name,
                Arc::new(crate::lifecycle::WithLifecycle::new(self.0.clone())),
            );
        }
    }

    /// `stateful` for a module implementing `RunnableCapability` by hand. It applies to
    /// every module, and its method asks for `RunnableCapability`: a module with neither a
    /// lifecycle nor that impl gets the trait's own message, at the keyword.
    pub trait StatefulViaCapability<T> {
        /// Registers the module itself.
        fn install(&self, registry: &mut RegistryBuilder, name: &'static str)
        where
            T: crate::RunnableCapability + 'static;
    }

    impl<T> StatefulViaCapability<T> for &Stateful<'_, T> {
        fn install(&self, registry: &mut RegistryBuilder, name: &'static str)
        where
            T: crate::RunnableCapability + 'static,
        {
            registry.register_stateful_with_meta(name, self.0.clone());
        }
    }

    /// Builds a module without `ctor = ..` (`Default::default()`), with a message that
    /// names both ways out.
    pub fn default_module<T: DefaultModule>() -> T {
        T::default_module()
    }

    /// A module built with `Default::default()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` has no `Default`, so `#[modkit::module]` cannot build it",
        label = "`{Self}` needs `#[derive(Default)]` or `ctor = ..`",
        note = "derive or implement `Default` for `{Self}`, or tell the macro how to build it: `#[modkit::module(name = .., ctor = {Self}::new(..))]`"
    )]
    pub trait DefaultModule {
        /// `Default::default()`.
        fn default_module() -> Self;
    }

    impl<T: Default> DefaultModule for T {
        fn default_module() -> Self {
            T::default()
        }
    }
}
