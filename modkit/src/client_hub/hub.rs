//! The hub itself: lock-free reads over copy-on-write snapshots.

use std::any::type_name;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwap;

use super::provenance::{self, DependencyGuard, Guard};
use super::snapshot::Snapshot;
use super::{ClientHubError, ClientScope};

/// A typed registry of in-process clients, keyed by the client's type — usually a trait
/// object such as `dyn UsersApi`.
///
/// A module that provides an API registers its implementation while it initialises; the
/// modules that use it look it up by the same type. Several implementations of one trait
/// (plugins, say) are registered side by side under different [`ClientScope`]s.
///
/// ```
/// use std::sync::Arc;
///
/// use modkit::ClientHub;
///
/// trait UsersApi: Send + Sync {
///     fn display_name(&self, id: u64) -> String;
/// }
///
/// struct Users;
///
/// impl UsersApi for Users {
///     fn display_name(&self, id: u64) -> String {
///         format!("user #{id}")
///     }
/// }
///
/// let hub = ClientHub::new();
/// hub.register::<dyn UsersApi>(Arc::new(Users));
///
/// let users = hub.get::<dyn UsersApi>()?;
/// assert_eq!(users.display_name(7), "user #7");
/// # Ok::<(), modkit::ClientHubError>(())
/// ```
///
/// # Lifecycle
///
/// The providing module registers its client in [`Module::init`](crate::Module::init) through
/// `ctx.client_hub()`. A module that lists the provider in its `deps` is initialised after
/// it, so its own `init` can already `get` the client. Lookups stay valid for the life of the
/// host; a client is dropped once it is replaced or removed and the last `Arc` to it is gone.
///
/// # Concurrency
///
/// Lookups take no lock a writer holds: they read an immutable snapshot of the registry,
/// and each write publishes a new snapshot. Writes are meant for start-up and are comparatively
/// slow (they copy the registry's index). A lookup costs little more than cloning the
/// returned `Arc`, but every caller of one client shares that `Arc`'s reference count, so
/// threads that `get` the same client in a hot loop contend on it: get a client once, in
/// `init`, and keep it.
pub struct ClientHub {
    // Read through `load`, which borrows the snapshot without touching its reference count,
    // so concurrent readers do not contend on a shared cache line.
    snapshot: ArcSwap<Snapshot>,
    // Serialises writers so none of them loses another's change while copying the snapshot.
    // A lock beats `ArcSwap::rcu` here: rcu would retry (and re-copy) under contention and
    // needs a closure it can call more than once, which moving the client in rules out.
    writer: Mutex<()>,
    // Installed by the runtime: who is calling, and whom they depend on.
    guard: Guard,
}

impl ClientHub {
    /// Creates an empty hub.
    ///
    /// ```
    /// use modkit::ClientHub;
    ///
    /// let hub = ClientHub::new();
    /// assert!(hub.try_get::<String>().is_none());
    /// ```
    pub fn new() -> Self {
        Self {
            snapshot: ArcSwap::from_pointee(Snapshot::default()),
            writer: Mutex::new(()),
            guard: Guard::default(),
        }
    }

    /// Registers `client` as the client of type `T`, replacing (and dropping the hub's
    /// reference to) any client of that type registered before.
    ///
    /// `T` is usually a trait object: name it explicitly so the `Arc` of the concrete type is
    /// coerced, as in `register::<dyn UsersApi>(Arc::new(Users))`. Callers that already hold
    /// the replaced client keep it.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use modkit::ClientHub;
    ///
    /// trait Greeter: Send + Sync {
    ///     fn greet(&self) -> &'static str;
    /// }
    ///
    /// struct Hello;
    /// impl Greeter for Hello {
    ///     fn greet(&self) -> &'static str {
    ///         "hello"
    ///     }
    /// }
    ///
    /// struct Hi;
    /// impl Greeter for Hi {
    ///     fn greet(&self) -> &'static str {
    ///         "hi"
    ///     }
    /// }
    ///
    /// let hub = ClientHub::new();
    /// hub.register::<dyn Greeter>(Arc::new(Hello));
    /// hub.register::<dyn Greeter>(Arc::new(Hi));
    /// assert_eq!(hub.get::<dyn Greeter>()?.greet(), "hi");
    /// # Ok::<(), modkit::ClientHubError>(())
    /// ```
    pub fn register<T: ?Sized + Send + Sync + 'static>(&self, client: Arc<T>) {
        let provider = provenance::registering_module(&self.guard);
        if self
            .update(|clients| clients.insert(client, provider))
            .is_some()
        {
            tracing::debug!(client = type_name::<T>(), "replaced a registered client");
        }
    }

    /// Returns the client of type `T`.
    ///
    /// # Errors
    ///
    /// [`ClientHubError::NotFound`], naming `T`, when no client of that type is registered.
    /// Clients registered under a scope do not count.
    ///
    /// [`ClientHubError::UndeclaredDependency`] when a module's hook asks for a client that
    /// another module registered, but does not list that module in its `deps` (directly or
    /// through its dependencies): it would work only while the names happen to put the
    /// provider first.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use modkit::ClientHub;
    ///
    /// let hub = ClientHub::new();
    /// assert!(hub.get::<str>().is_err());
    ///
    /// hub.register::<str>(Arc::from("config"));
    /// assert_eq!(&*hub.get::<str>()?, "config");
    /// # Ok::<(), modkit::ClientHubError>(())
    /// ```
    pub fn get<T: ?Sized + Send + Sync + 'static>(&self) -> Result<Arc<T>, ClientHubError> {
        let (client, provider) = self.snapshot.load().get().ok_or_else(not_found::<T>)?;
        self.may_use::<T>(provider)?;
        Ok(client)
    }

    /// Calls `f` with the client of type `T`, borrowed from the hub, and returns what `f`
    /// returns.
    ///
    /// Unlike [`get`](Self::get) it changes no reference count, so it is cheaper and threads
    /// that reach the same client in a hot loop do not contend on it. The client is
    /// borrowed for the call only; to keep it (across an `.await`, say), use `get`.
    ///
    /// # Errors
    ///
    /// [`ClientHubError::NotFound`], naming `T`, when no client of that type is registered.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use modkit::ClientHub;
    ///
    /// trait Prices: Send + Sync {
    ///     fn price(&self, item: &str) -> u64;
    /// }
    ///
    /// struct Flat;
    /// impl Prices for Flat {
    ///     fn price(&self, _item: &str) -> u64 {
    ///         100
    ///     }
    /// }
    ///
    /// let hub = ClientHub::new();
    /// hub.register::<dyn Prices>(Arc::new(Flat));
    /// let total: u64 = ["tea", "cake"]
    ///     .iter()
    ///     .map(|item| hub.with::<dyn Prices, _>(|prices| prices.price(item)))
    ///     .sum::<Result<u64, _>>()?;
    /// assert_eq!(total, 200);
    /// # Ok::<(), modkit::ClientHubError>(())
    /// ```
    pub fn with<T: ?Sized + Send + Sync + 'static, R>(
        &self,
        f: impl FnOnce(&T) -> R,
    ) -> Result<R, ClientHubError> {
        let snapshot = self.snapshot.load();
        let (client, provider) = snapshot.borrow::<T>().ok_or_else(not_found::<T>)?;
        self.may_use::<T>(provider)?;
        Ok(f(client))
    }

    /// Returns the client of type `T`, or `None` when there is none; for clients that are
    /// optional.
    ///
    /// ```
    /// use modkit::ClientHub;
    ///
    /// trait AuditApi: Send + Sync {}
    ///
    /// let hub = ClientHub::new();
    /// if let Some(_audit) = hub.try_get::<dyn AuditApi>() {
    ///     unreachable!("nothing registered an audit client");
    /// }
    /// ```
    pub fn try_get<T: ?Sized + Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.get().ok()
    }

    /// Removes the client of type `T` and returns it, or `None` when there was none.
    ///
    /// Callers that already hold the client keep it.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use modkit::ClientHub;
    ///
    /// let hub = ClientHub::new();
    /// hub.register(Arc::new(5_u32));
    /// assert_eq!(hub.remove::<u32>().as_deref(), Some(&5));
    /// assert!(hub.try_get::<u32>().is_none());
    /// ```
    pub fn remove<T: ?Sized + Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.update(|clients| clients.remove())
    }

    /// Registers `client` as the client of type `T` in `scope`, replacing any client of that
    /// type registered before in the same scope.
    ///
    /// Scoped clients are separate from the unscoped one: [`get`](Self::get) does not see
    /// them.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use modkit::{ClientHub, ClientScope};
    ///
    /// trait Notifier: Send + Sync {
    ///     fn channel(&self) -> &'static str;
    /// }
    ///
    /// struct Email;
    /// impl Notifier for Email {
    ///     fn channel(&self) -> &'static str {
    ///         "email"
    ///     }
    /// }
    ///
    /// struct Sms;
    /// impl Notifier for Sms {
    ///     fn channel(&self) -> &'static str {
    ///         "sms"
    ///     }
    /// }
    ///
    /// let hub = ClientHub::new();
    /// hub.register_scoped::<dyn Notifier>("email", Arc::new(Email));
    /// hub.register_scoped::<dyn Notifier>("sms", Arc::new(Sms));
    ///
    /// for scope in hub.scopes::<dyn Notifier>() {
    ///     assert_eq!(hub.get_scoped::<dyn Notifier>(&scope)?.channel(), scope.as_str());
    /// }
    /// assert!(hub.get::<dyn Notifier>().is_err());
    /// # Ok::<(), modkit::ClientHubError>(())
    /// ```
    pub fn register_scoped<T: ?Sized + Send + Sync + 'static>(
        &self,
        scope: impl Into<ClientScope>,
        client: Arc<T>,
    ) {
        let scope = scope.into();
        let replaced = self.update(|clients| clients.insert_scoped(scope.clone(), client));
        if replaced.is_some() {
            tracing::debug!(
                client = type_name::<T>(),
                %scope,
                "replaced a registered scoped client"
            );
        }
    }

    /// Returns the client of type `T` in `scope`.
    ///
    /// # Errors
    ///
    /// [`ClientHubError::ScopedNotFound`], naming `T` and `scope`, when no client of that
    /// type is registered in that scope.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use modkit::{ClientHub, ClientScope};
    ///
    /// let hub = ClientHub::new();
    /// hub.register_scoped::<str>("eu", Arc::from("eu-west-1"));
    /// assert_eq!(&*hub.get_scoped::<str>(&ClientScope::from("eu"))?, "eu-west-1");
    /// assert!(hub.get_scoped::<str>(&ClientScope::from("us")).is_err());
    /// # Ok::<(), modkit::ClientHubError>(())
    /// ```
    pub fn get_scoped<T: ?Sized + Send + Sync + 'static>(
        &self,
        scope: &ClientScope,
    ) -> Result<Arc<T>, ClientHubError> {
        self.try_get_scoped(scope)
            .ok_or_else(|| ClientHubError::ScopedNotFound {
                type_name: type_name::<T>(),
                scope: scope.clone(),
            })
    }

    /// Returns the client of type `T` in `scope`, or `None` when there is none.
    ///
    /// ```
    /// use modkit::{ClientHub, ClientScope};
    ///
    /// let hub = ClientHub::new();
    /// assert!(hub.try_get_scoped::<str>(&ClientScope::from("eu")).is_none());
    /// ```
    pub fn try_get_scoped<T: ?Sized + Send + Sync + 'static>(
        &self,
        scope: &ClientScope,
    ) -> Option<Arc<T>> {
        self.snapshot.load().get_scoped(scope)
    }

    /// Removes the client of type `T` in `scope` and returns it, or `None` when there was
    /// none.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use modkit::{ClientHub, ClientScope};
    ///
    /// let hub = ClientHub::new();
    /// hub.register_scoped::<str>("eu", Arc::from("eu-west-1"));
    /// assert!(hub.remove_scoped::<str>(&ClientScope::from("eu")).is_some());
    /// assert!(hub.scopes::<str>().is_empty());
    /// ```
    pub fn remove_scoped<T: ?Sized + Send + Sync + 'static>(
        &self,
        scope: &ClientScope,
    ) -> Option<Arc<T>> {
        self.update(|clients| clients.remove_scoped(scope))
    }

    /// The scopes that have a client of type `T`, sorted by name.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use modkit::ClientHub;
    ///
    /// let hub = ClientHub::new();
    /// hub.register_scoped::<str>("us", Arc::from("us-east-1"));
    /// hub.register_scoped::<str>("eu", Arc::from("eu-west-1"));
    ///
    /// let scopes: Vec<String> = hub.scopes::<str>().iter().map(ToString::to_string).collect();
    /// assert_eq!(scopes, ["eu", "us"]);
    /// ```
    pub fn scopes<T: ?Sized + Send + Sync + 'static>(&self) -> Vec<ClientScope> {
        self.snapshot.load().scopes::<T>()
    }

    /// Applies `edit` to a copy of the current snapshot and publishes the copy.
    fn update<R>(&self, edit: impl FnOnce(&mut Snapshot) -> R) -> R {
        // The mutex guards no data: if a writer panicked, the published snapshot is still
        // whole (its half-edited copy was never stored), so a poisoned lock is safe to reuse.
        let writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let mut next = Snapshot::clone(&self.snapshot.load());
        let result = edit(&mut next);
        let previous = self.snapshot.swap(Arc::new(next));
        // Dropping the old snapshot may drop the last reference to a replaced client, and
        // that client's `Drop` may itself use the hub: let it run after the lock is released.
        drop(writer);
        drop(previous);
        result
    }
}

impl ClientHub {
    /// Lets the runtime tell the hub which module is calling and whom it depends on.
    pub(crate) fn install_dependency_guard(&self, guard: Box<dyn DependencyGuard>) {
        provenance::install(&self.guard, guard);
    }

    fn may_use<T: ?Sized>(&self, provider: Option<&'static str>) -> Result<(), ClientHubError> {
        provenance::check(&self.guard, provider).map_err(|module| {
            ClientHubError::UndeclaredDependency {
                type_name: type_name::<T>(),
                module,
                provider: provider.unwrap_or_default(),
            }
        })
    }
}

fn not_found<T: ?Sized>() -> ClientHubError {
    ClientHubError::NotFound {
        type_name: type_name::<T>(),
    }
}

impl Default for ClientHub {
    fn default() -> Self {
        Self::new()
    }
}

/// Lists the registered clients' type names and, for scoped clients, their scopes.
impl fmt::Debug for ClientHub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self.snapshot.load(), f)
    }
}

#[cfg(test)]
mod tests;
