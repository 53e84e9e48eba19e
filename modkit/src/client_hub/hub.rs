//! The hub itself: lock-free reads over copy-on-write snapshots.

use std::any::type_name;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwap;

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
        if self.update(|clients| clients.insert(client)).is_some() {
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
        self.try_get().ok_or(ClientHubError::NotFound {
            type_name: type_name::<T>(),
        })
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
        self.snapshot.load().get()
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
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread;

    use super::*;

    trait UsersApi: Send + Sync {
        fn name(&self) -> &str;
    }

    struct Users(&'static str);

    impl UsersApi for Users {
        fn name(&self) -> &str {
            self.0
        }
    }

    trait Plugin: Send + Sync {
        fn id(&self) -> u32;
    }

    struct NumberedPlugin(u32);

    impl Plugin for NumberedPlugin {
        fn id(&self) -> u32 {
            self.0
        }
    }

    fn scope(name: &'static str) -> ClientScope {
        ClientScope::from(name)
    }

    #[test]
    fn registered_trait_object_is_returned_by_get() {
        let hub = ClientHub::new();
        let users: Arc<dyn UsersApi> = Arc::new(Users("alice"));
        hub.register::<dyn UsersApi>(users.clone());

        let found = hub.get::<dyn UsersApi>().expect("registered");
        assert!(Arc::ptr_eq(&found, &users));
        assert_eq!(found.name(), "alice");
        assert!(hub.try_get::<dyn UsersApi>().is_some());
    }

    #[test]
    fn missing_client_error_names_the_type_and_the_fix() {
        let error = ClientHub::new()
            .get::<dyn UsersApi>()
            .err()
            .expect("nothing registered");
        let name = type_name::<dyn UsersApi>();
        assert_eq!(error, ClientHubError::NotFound { type_name: name });
        assert_eq!(
            error.to_string(),
            format!(
                "no client registered for `{name}`; register one in the providing module's \
                 init with `ctx.client_hub().register::<{name}>(..)`"
            )
        );
        assert!(name.ends_with("UsersApi"), "{name}");
    }

    #[test]
    fn register_replaces_the_previous_client() {
        let hub = ClientHub::new();
        hub.register::<dyn UsersApi>(Arc::new(Users("old")));
        let held = hub.get::<dyn UsersApi>().unwrap();
        hub.register::<dyn UsersApi>(Arc::new(Users("new")));

        assert_eq!(hub.get::<dyn UsersApi>().unwrap().name(), "new");
        assert_eq!(
            held.name(),
            "old",
            "a caller keeps the client it already got"
        );
    }

    #[test]
    fn remove_returns_the_client_and_forgets_it() {
        let hub = ClientHub::new();
        hub.register::<dyn UsersApi>(Arc::new(Users("alice")));

        assert_eq!(hub.remove::<dyn UsersApi>().unwrap().name(), "alice");
        assert!(hub.try_get::<dyn UsersApi>().is_none());
        assert!(hub.remove::<dyn UsersApi>().is_none());
    }

    #[test]
    fn sized_types_work_too() {
        let hub = ClientHub::new();
        hub.register(Arc::new(String::from("value")));
        hub.register(Arc::new(7_u64));

        assert_eq!(*hub.get::<String>().unwrap(), "value");
        assert_eq!(*hub.get::<u64>().unwrap(), 7);
        assert!(hub.try_get::<u32>().is_none());
    }

    #[test]
    fn scoped_clients_are_registered_listed_and_removed_per_scope() {
        let hub = ClientHub::new();
        hub.register_scoped::<dyn Plugin>("b", Arc::new(NumberedPlugin(2)));
        hub.register_scoped::<dyn Plugin>(String::from("a"), Arc::new(NumberedPlugin(1)));
        hub.register_scoped::<dyn Plugin>(ClientScope::new("c"), Arc::new(NumberedPlugin(3)));

        assert_eq!(
            hub.scopes::<dyn Plugin>(),
            [scope("a"), scope("b"), scope("c")]
        );
        assert_eq!(hub.get_scoped::<dyn Plugin>(&scope("b")).unwrap().id(), 2);

        hub.register_scoped::<dyn Plugin>("b", Arc::new(NumberedPlugin(20)));
        assert_eq!(hub.get_scoped::<dyn Plugin>(&scope("b")).unwrap().id(), 20);

        assert_eq!(
            hub.remove_scoped::<dyn Plugin>(&scope("b")).unwrap().id(),
            20
        );
        assert!(hub.try_get_scoped::<dyn Plugin>(&scope("b")).is_none());
        assert!(hub.remove_scoped::<dyn Plugin>(&scope("b")).is_none());
        assert_eq!(hub.scopes::<dyn Plugin>(), [scope("a"), scope("c")]);
        assert!(hub.scopes::<dyn UsersApi>().is_empty());
    }

    #[test]
    fn missing_scoped_client_error_names_the_type_and_the_scope() {
        let hub = ClientHub::new();
        hub.register_scoped::<dyn Plugin>("a", Arc::new(NumberedPlugin(1)));

        let error = hub
            .get_scoped::<dyn Plugin>(&scope("z"))
            .err()
            .expect("no scope z");
        let name = type_name::<dyn Plugin>();
        assert_eq!(
            error,
            ClientHubError::ScopedNotFound {
                type_name: name,
                scope: scope("z")
            }
        );
        assert_eq!(
            error.to_string(),
            format!(
                "no client registered for `{name}` in scope `z`; register one in the providing \
                 module's init with `ctx.client_hub().register_scoped::<{name}>(\"z\", ..)`"
            )
        );
    }

    #[test]
    fn a_scoped_client_does_not_satisfy_an_unscoped_get_nor_the_reverse() {
        let hub = ClientHub::new();
        hub.register_scoped::<dyn Plugin>("a", Arc::new(NumberedPlugin(1)));
        assert!(matches!(
            hub.get::<dyn Plugin>(),
            Err(ClientHubError::NotFound { .. })
        ));

        hub.register::<dyn Plugin>(Arc::new(NumberedPlugin(0)));
        assert!(hub.try_get_scoped::<dyn Plugin>(&scope("b")).is_none());
        assert_eq!(hub.get::<dyn Plugin>().unwrap().id(), 0);
        assert_eq!(hub.get_scoped::<dyn Plugin>(&scope("a")).unwrap().id(), 1);
    }

    #[test]
    fn debug_lists_type_names_and_scopes() {
        let hub = ClientHub::default();
        hub.register::<dyn UsersApi>(Arc::new(Users("alice")));
        hub.register_scoped::<dyn Plugin>("b", Arc::new(NumberedPlugin(2)));
        hub.register_scoped::<dyn Plugin>("a", Arc::new(NumberedPlugin(1)));

        let users = type_name::<dyn UsersApi>();
        let plugin = type_name::<dyn Plugin>();
        assert_eq!(
            format!("{hub:?}"),
            format!(r#"ClientHub {{ clients: ["{users}"], scoped: {{"{plugin}": ["a", "b"]}} }}"#)
        );
    }

    #[test]
    fn a_panicking_writer_leaves_the_hub_usable() {
        let hub = ClientHub::new();
        hub.register(Arc::new(1_u8));
        let panicked = thread::scope(|s| {
            s.spawn(|| hub.update(|_| panic!("writer fails mid-edit")))
                .join()
                .is_err()
        });
        assert!(panicked);

        assert_eq!(*hub.get::<u8>().unwrap(), 1);
        hub.register(Arc::new(2_u8));
        assert_eq!(*hub.get::<u8>().unwrap(), 2);
    }

    #[test]
    fn a_replaced_client_may_use_the_hub_while_it_drops() {
        struct Reentrant(Arc<ClientHub>);
        impl Drop for Reentrant {
            fn drop(&mut self) {
                self.0.register(Arc::new("dropped"));
            }
        }

        let hub = Arc::new(ClientHub::new());
        hub.register(Arc::new(Reentrant(hub.clone())));
        assert!(hub.remove::<Reentrant>().is_some());
        assert_eq!(*hub.get::<&str>().unwrap(), "dropped");
    }

    /// The writer registers generation `n` of `First`, then of `Second`. A reader that sees
    /// generation `n` of `Second` must then see at least `n` of `First`, every lookup must
    /// succeed, and generations must never go backwards.
    #[test]
    fn concurrent_readers_never_see_a_torn_state() {
        const GENERATIONS: u64 = 2_000;
        struct First(u64);
        struct Second(u64);

        let hub = ClientHub::new();
        hub.register(Arc::new(First(0)));
        hub.register(Arc::new(Second(0)));
        hub.register_scoped("fixed", Arc::new(First(0)));
        let done = AtomicBool::new(false);

        thread::scope(|s| {
            let readers: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        let (mut last, mut reads) = (0, 0_u64);
                        // Bounded: the writer finishes after GENERATIONS rounds. Reading
                        // once more after seeing `done` must find the last generation.
                        loop {
                            let finished = done.load(Ordering::Acquire);
                            let second = hub.get::<Second>().expect("always registered").0;
                            let first = hub.get::<First>().expect("always registered").0;
                            assert!(first >= second, "first {first} behind second {second}");
                            assert!(second >= last, "went back from {last} to {second}");
                            last = second;

                            let scopes = hub.scopes::<First>();
                            assert!(scopes.is_sorted(), "{scopes:?}");
                            assert!(scopes.contains(&scope("fixed")), "{scopes:?}");
                            assert!(hub.try_get_scoped::<First>(&scope("fixed")).is_some());
                            reads += 1;
                            if finished && reads >= 100 {
                                break last;
                            }
                        }
                    })
                })
                .collect();

            for n in 1..=GENERATIONS {
                hub.register(Arc::new(First(n)));
                hub.register(Arc::new(Second(n)));
                let name = ClientScope::new(format!("gen-{}", n % 7));
                hub.register_scoped(name.clone(), Arc::new(First(n)));
                if n % 2 == 0 {
                    hub.remove_scoped::<First>(&name);
                }
            }
            done.store(true, Ordering::Release);

            for reader in readers {
                assert_eq!(reader.join().expect("reader panicked"), GENERATIONS);
            }
        });
    }
}
