//! What can go wrong when looking a client up.

use super::ClientScope;

/// The error returned by [`ClientHub::get`](super::ClientHub::get) and
/// [`ClientHub::get_scoped`](super::ClientHub::get_scoped).
///
/// Its message names the missing client's type, as `std::any::type_name` spells it, and how
/// to register one:
///
/// ```
/// use modkit::{ClientHub, ClientHubError};
///
/// trait UsersApi: Send + Sync {}
///
/// let error = ClientHub::new().get::<dyn UsersApi>().err().expect("nothing registered");
/// assert!(matches!(error, ClientHubError::NotFound { .. }));
/// assert!(error.to_string().starts_with("no client registered for `dyn "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientHubError {
    /// No client of this type is registered outside a scope.
    #[error(
        "no client registered for `{type_name}`; register one in the providing module's init \
         with `ctx.client_hub().register::<{type_name}>(..)`"
    )]
    NotFound {
        /// The client's type, for example `dyn my_crate::UsersApi`.
        type_name: &'static str,
    },

    /// A module's hook asked for a client registered by a module it does not depend on.
    #[error(
        "module `{module}` uses `{type_name}`, registered by module `{provider}`, without \
         depending on it; add `deps = [\"{provider}\"]` to `#[modkit::module(name = \"{module}\", ..)]` \
         (or list `{provider}` in `register_core_with_meta`'s deps), so that `{provider}` is \
         initialised first on every run"
    )]
    UndeclaredDependency {
        /// The client's type, for example `dyn my_crate::AuditApi`.
        type_name: &'static str,
        /// The module that asked for it.
        module: &'static str,
        /// The module that registered it.
        provider: &'static str,
    },

    /// No client of this type is registered under this scope.
    #[error(
        "no client registered for `{type_name}` in scope `{scope}`; register one in the \
         providing module's init with `ctx.client_hub().register_scoped::<{type_name}>(\"{scope}\", ..)`"
    )]
    ScopedNotFound {
        /// The client's type, for example `dyn my_crate::NotifierPlugin`.
        type_name: &'static str,
        /// The scope that was asked for.
        scope: ClientScope,
    },
}
