//! Where users are kept: behind [`UsersRepository`], in memory for now.

use std::collections::BTreeMap;
use std::sync::RwLock;

use uuid::Uuid;

use super::model::User;

/// Storage for users; swap the in-memory one for a database-backed one without touching
/// the REST layer.
#[modkit::async_trait]
pub trait UsersRepository: Send + Sync + std::fmt::Debug {
    /// `limit` users after skipping `offset`, oldest first, and how many there are.
    async fn list(&self, limit: usize, offset: usize) -> anyhow::Result<(Vec<User>, usize)>;
    /// The user `id`.
    async fn get(&self, id: Uuid) -> anyhow::Result<Option<User>>;
    /// Stores a new user.
    async fn insert(&self, user: User) -> anyhow::Result<()>;
    /// Replaces user `user.id`; `false` if there is none.
    async fn update(&self, user: User) -> anyhow::Result<bool>;
    /// Removes user `id`; `false` if there is none.
    async fn delete(&self, id: Uuid) -> anyhow::Result<bool>;
}

/// Users in a map, kept in insertion order; gone when the process ends.
#[derive(Debug, Default)]
pub struct InMemoryUsersRepository {
    users: RwLock<Store>,
}

#[derive(Debug, Default)]
struct Store {
    next: u64,
    by_order: BTreeMap<u64, User>,
    order_of: std::collections::HashMap<Uuid, u64>,
}

impl InMemoryUsersRepository {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Store> {
        self.users.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Store> {
        self.users.write().unwrap_or_else(|p| p.into_inner())
    }
}

#[modkit::async_trait]
impl UsersRepository for InMemoryUsersRepository {
    async fn list(&self, limit: usize, offset: usize) -> anyhow::Result<(Vec<User>, usize)> {
        let store = self.read();
        let page = store
            .by_order
            .values()
            .skip(offset)
            .take(limit)
            .cloned()
            .collect();
        Ok((page, store.by_order.len()))
    }

    async fn get(&self, id: Uuid) -> anyhow::Result<Option<User>> {
        let store = self.read();
        Ok(store
            .order_of
            .get(&id)
            .and_then(|order| store.by_order.get(order))
            .cloned())
    }

    async fn insert(&self, user: User) -> anyhow::Result<()> {
        let mut store = self.write();
        anyhow::ensure!(
            !store.order_of.contains_key(&user.id),
            "user `{}` already exists",
            user.id
        );
        let order = store.next;
        store.next += 1;
        store.order_of.insert(user.id, order);
        store.by_order.insert(order, user);
        Ok(())
    }

    async fn update(&self, user: User) -> anyhow::Result<bool> {
        let mut store = self.write();
        let Some(&order) = store.order_of.get(&user.id) else {
            return Ok(false);
        };
        store.by_order.insert(order, user);
        Ok(true)
    }

    async fn delete(&self, id: Uuid) -> anyhow::Result<bool> {
        let mut store = self.write();
        let Some(order) = store.order_of.remove(&id) else {
            return Ok(false);
        };
        store.by_order.remove(&order);
        Ok(true)
    }
}
