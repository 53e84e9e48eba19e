use std::fmt;

use crate::context::ModuleCtx;

/// How the host reaches a module placed out of process (`runtime.type: oop`): a function
/// from the module's SDK that puts a client of the module's API (one that calls the child
/// over gRPC) into the host's [`ClientHub`](crate::ClientHub).
///
/// The runtime never runs an out-of-process module's hooks in the host. In its place in the
/// **init** phase it runs the module's `RemoteClient`s instead, so modules that depend on it
/// find its API in the ClientHub whichever way it is placed. Declare one with
/// [`remote_client!`](crate::remote_client).
///
/// # Lifecycle
/// `install` runs in the **init** phase, where the module's own `init` would have run:
/// after its dependencies' init and before its dependents'. The child itself is spawned
/// at the module's place in the **start** phase, so its dependents start only once it has
/// registered with the directory.
pub struct RemoteClient {
    /// The module whose API the client offers.
    pub module: &'static str,
    /// Registers the client, given the module's context (its config and the ClientHub).
    pub install: fn(&ModuleCtx) -> anyhow::Result<()>,
}

inventory::collect!(RemoteClient);

impl RemoteClient {
    /// The remote clients declared for `module` in every linked crate.
    pub(crate) fn of(module: &str) -> impl Iterator<Item = &'static RemoteClient> + '_ {
        inventory::iter::<RemoteClient>
            .into_iter()
            .filter(move |client| client.module == module)
    }
}

impl fmt::Debug for RemoteClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteClient")
            .field("module", &self.module)
            .finish_non_exhaustive()
    }
}

/// Declares the [`RemoteClient`] of module `$module`: `$install` runs in the host in place
/// of the module's `init` when the module is placed out of process.
///
/// ```
/// use std::sync::Arc;
/// use modkit::ModuleCtx;
///
/// pub trait GreeterApi: Send + Sync {}
/// struct GreeterOverGrpc;
/// impl GreeterApi for GreeterOverGrpc {}
///
/// fn install_greeter_client(ctx: &ModuleCtx) -> anyhow::Result<()> {
///     ctx.client_hub().register::<dyn GreeterApi>(Arc::new(GreeterOverGrpc));
///     Ok(())
/// }
///
/// modkit::remote_client!("greeter", install_greeter_client);
/// ```
#[macro_export]
macro_rules! remote_client {
    ($module:literal, $install:path $(,)?) => {
        $crate::__private::inventory::submit! {
            $crate::runtime::RemoteClient {
                module: $module,
                install: $install,
            }
        }
    };
}
