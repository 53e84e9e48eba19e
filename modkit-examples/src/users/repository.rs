//! Where users are kept: behind [`UsersRepository`], with one implementation per store
//! (in memory here; SQLite and PostgreSQL beside this file).

use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

use uuid::Uuid;

use super::model::User;
use super::page::Cursor;

/// Storage for users; the REST layer sees only this, whatever keeps them.
#[modkit::async_trait]
pub trait UsersRepository: Send + Sync + std::fmt::Debug {
    /// Up to `limit` users after `after` (from the first when `None`), oldest first.
    async fn list(&self, after: Option<Cursor>, limit: usize) -> anyhow::Result<Listing>;
    /// How many users there are: a full count, slower the more there are.
    async fn count(&self) -> anyhow::Result<u64>;
    /// The user `id`.
    async fn get(&self, id: Uuid) -> anyhow::Result<Option<User>>;
    /// Stores a new user, after every user stored before.
    async fn insert(&self, user: User) -> anyhow::Result<()>;
    /// Replaces user `user.id`, keeping its place; `false` if there is none.
    async fn update(&self, user: User) -> anyhow::Result<bool>;
    /// Removes user `id`; `false` if there is none.
    async fn delete(&self, id: Uuid) -> anyhow::Result<bool>;
}

/// One page of users as a repository finds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The users, oldest first.
    pub users: Vec<User>,
    /// Where the next page starts; `None` when this page is the last.
    pub next: Option<Cursor>,
}

impl Listing {
    /// The page of `limit` users from `rows`: up to `limit + 1` users with their
    /// positions, in order. The one past `limit` only tells that there is a next page, so
    /// the last page never needs an empty page after it to be known as last.
    pub fn from_rows(mut rows: Vec<(i64, User)>, limit: usize) -> Self {
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = more
            .then(|| rows.last().map(|(position, _)| Cursor::after(*position)))
            .flatten();
        Self {
            users: rows.into_iter().map(|(_, user)| user).collect(),
            next,
        }
    }
}

/// The number of rows to fetch for a page of `limit`: one more, to know if another
/// follows (see [`Listing::from_rows`]).
pub(crate) fn rows_for(limit: usize) -> i64 {
    i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX)
}

/// Users in a map, kept in insertion order; gone when the process ends.
#[derive(Debug, Default)]
pub struct InMemoryUsersRepository {
    users: RwLock<Store>,
}

#[derive(Debug, Default)]
struct Store {
    /// The last position given out.
    last: i64,
    by_position: BTreeMap<i64, User>,
    position_of: HashMap<Uuid, i64>,
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
    async fn list(&self, after: Option<Cursor>, limit: usize) -> anyhow::Result<Listing> {
        let store = self.read();
        let first = after.map_or(0, Cursor::position).saturating_add(1);
        let rows = store
            .by_position
            .range(first..)
            .take(limit.saturating_add(1))
            .map(|(position, user)| (*position, user.clone()))
            .collect();
        Ok(Listing::from_rows(rows, limit))
    }

    async fn count(&self) -> anyhow::Result<u64> {
        Ok(u64::try_from(self.read().by_position.len())?)
    }

    async fn get(&self, id: Uuid) -> anyhow::Result<Option<User>> {
        let store = self.read();
        Ok(store
            .position_of
            .get(&id)
            .and_then(|position| store.by_position.get(position))
            .cloned())
    }

    async fn insert(&self, user: User) -> anyhow::Result<()> {
        let mut store = self.write();
        anyhow::ensure!(
            !store.position_of.contains_key(&user.id),
            "user `{}` already exists",
            user.id
        );
        store.last += 1;
        let position = store.last;
        store.position_of.insert(user.id, position);
        store.by_position.insert(position, user);
        Ok(())
    }

    async fn update(&self, user: User) -> anyhow::Result<bool> {
        let mut store = self.write();
        let Some(&position) = store.position_of.get(&user.id) else {
            return Ok(false);
        };
        store.by_position.insert(position, user);
        Ok(true)
    }

    async fn delete(&self, id: Uuid) -> anyhow::Result<bool> {
        let mut store = self.write();
        let Some(position) = store.position_of.remove(&id) else {
            return Ok(false);
        };
        store.by_position.remove(&position);
        Ok(true)
    }
}
