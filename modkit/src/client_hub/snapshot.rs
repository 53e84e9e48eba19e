//! One immutable state of the hub: every client registered at some instant.

use std::any::{Any, TypeId, type_name};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use super::ClientScope;
use super::type_key::TypeIdHash;

/// A type-erased `Arc<T>`.
///
/// The outer `Arc` (rather than a `Box`) lets successive snapshots share their entries, so a
/// write copies the maps' pointers and never the clients.
type Erased = Arc<dyn Any + Send + Sync>;

/// Every client registered at one instant.
///
/// Readers hold a snapshot while they look a client up and never see it change; writers
/// clone the current one, edit the clone and publish it. Each map is keyed by
/// `TypeId::of::<T>()` and its values hold an `Arc<T>`: only the generic methods below create
/// entries, which keeps key and value in step.
#[derive(Clone, Default)]
pub(super) struct Snapshot {
    clients: HashMap<TypeId, Entry, TypeIdHash>,
    scoped: HashMap<TypeId, ScopedEntries, TypeIdHash>,
}

#[derive(Clone)]
struct Entry {
    type_name: &'static str,
    client: Erased,
    /// The module that registered it, when a module did.
    provider: Option<&'static str>,
}

#[derive(Clone)]
struct ScopedEntries {
    type_name: &'static str,
    clients: BTreeMap<ClientScope, Erased>,
}

impl Snapshot {
    /// The client of type `T` and the module that registered it.
    pub(super) fn get<T: ?Sized + Send + Sync + 'static>(
        &self,
    ) -> Option<(Arc<T>, Option<&'static str>)> {
        let entry = self.clients.get(&TypeId::of::<T>())?;
        Some((downcast::<T>(&entry.client)?, entry.provider))
    }

    /// The client of type `T`, borrowed from this snapshot, and the module that registered it.
    pub(super) fn borrow<T: ?Sized + Send + Sync + 'static>(
        &self,
    ) -> Option<(&T, Option<&'static str>)> {
        let entry = self.clients.get(&TypeId::of::<T>())?;
        let client = downcast_ref::<T>(&entry.client)?;
        Some((&**client, entry.provider))
    }

    /// Returns the client it replaces, if any.
    pub(super) fn insert<T: ?Sized + Send + Sync + 'static>(
        &mut self,
        client: Arc<T>,
        provider: Option<&'static str>,
    ) -> Option<Arc<T>> {
        let entry = Entry {
            type_name: type_name::<T>(),
            client: Arc::new(client),
            provider,
        };
        let previous = self.clients.insert(TypeId::of::<T>(), entry)?;
        downcast::<T>(&previous.client)
    }

    pub(super) fn remove<T: ?Sized + Send + Sync + 'static>(&mut self) -> Option<Arc<T>> {
        let entry = self.clients.remove(&TypeId::of::<T>())?;
        downcast::<T>(&entry.client)
    }

    pub(super) fn get_scoped<T: ?Sized + Send + Sync + 'static>(
        &self,
        scope: &ClientScope,
    ) -> Option<Arc<T>> {
        let entries = self.scoped.get(&TypeId::of::<T>())?;
        downcast::<T>(entries.clients.get(scope)?)
    }

    /// Returns the client it replaces, if any.
    pub(super) fn insert_scoped<T: ?Sized + Send + Sync + 'static>(
        &mut self,
        scope: ClientScope,
        client: Arc<T>,
    ) -> Option<Arc<T>> {
        let entries = self
            .scoped
            .entry(TypeId::of::<T>())
            .or_insert_with(|| ScopedEntries {
                type_name: type_name::<T>(),
                clients: BTreeMap::new(),
            });
        let previous = entries.clients.insert(scope, Arc::new(client))?;
        downcast::<T>(&previous)
    }

    pub(super) fn remove_scoped<T: ?Sized + Send + Sync + 'static>(
        &mut self,
        scope: &ClientScope,
    ) -> Option<Arc<T>> {
        let key = TypeId::of::<T>();
        let entries = self.scoped.get_mut(&key)?;
        let removed = entries.clients.remove(scope)?;
        // An empty entry would keep the type listed in `Debug` after its last scope is gone.
        if entries.clients.is_empty() {
            self.scoped.remove(&key);
        }
        downcast::<T>(&removed)
    }

    /// Sorted, because the scoped maps are `BTreeMap`s.
    pub(super) fn scopes<T: ?Sized + Send + Sync + 'static>(&self) -> Vec<ClientScope> {
        self.scoped
            .get(&TypeId::of::<T>())
            .map(|entries| entries.clients.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// Recovers the `Arc<T>` an entry was made from.
///
/// Entries are only ever stored under their own `TypeId`, so this fails only if that
/// invariant is broken; a lookup then reports "not found" rather than panicking in the
/// caller, and debug builds catch the bug.
fn downcast<T: ?Sized + Send + Sync + 'static>(erased: &Erased) -> Option<Arc<T>> {
    downcast_ref(erased).cloned()
}

fn downcast_ref<T: ?Sized + Send + Sync + 'static>(erased: &Erased) -> Option<&Arc<T>> {
    let client = erased.downcast_ref::<Arc<T>>();
    debug_assert!(
        client.is_some(),
        "client hub entry for `{}` holds another type",
        type_name::<T>()
    );
    client
}

// Formats as the hub it backs, since only `ClientHub`'s `Debug` shows it. Sorted so the
// output is stable from run to run.
impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut clients: Vec<_> = self.clients.values().map(|e| e.type_name).collect();
        clients.sort_unstable();
        let mut scoped: Vec<_> = self
            .scoped
            .values()
            .map(|e| {
                (
                    e.type_name,
                    e.clients
                        .keys()
                        .map(ClientScope::as_str)
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        scoped.sort_unstable();
        f.debug_struct("ClientHub")
            .field("clients", &clients)
            .field("scoped", &DebugMap(&scoped))
            .finish()
    }
}

/// Shows pairs as a map without collapsing two types that `type_name` spells alike.
struct DebugMap<'a>(&'a [(&'static str, Vec<&'a str>)]);

impl fmt::Debug for DebugMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, scopes)| (name, scopes)))
            .finish()
    }
}
