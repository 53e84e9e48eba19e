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
