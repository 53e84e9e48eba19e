//! [`SecurityContext`]: the verified caller of a request.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;

tokio::task_local! {
    static CURRENT: SecurityContext;
}

/// The verified caller of a request: subject, tenant, scopes, roles, token id and expiry.
///
/// The REST host builds it from a verified bearer token (never from an unverified header)
/// and hands it to handlers as an axum extractor; while the handler runs, the same context
/// is [`current`](Self::current) for everything the handler awaits in its task, so an
/// in-process client reached through the ClientHub sees who is calling without taking a
/// parameter for it. A task the handler spawns does not inherit it: pass it on with
/// [`scope`](Self::scope).
///
/// It is cheap to clone (one reference count).
///
/// ```
/// use modkit::security::SecurityContext;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let caller = SecurityContext::new("user-42")
///     .with_tenant("acme")
///     .with_scopes(["notes.read"]);
/// assert!(SecurityContext::current().is_none());
/// let seen = caller
///     .clone()
///     .scope(async { SecurityContext::current().map(|c| c.subject().to_owned()) })
///     .await;
/// assert_eq!(seen.as_deref(), Some("user-42"));
/// assert!(caller.has_scope("notes.read"));
/// # }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SecurityContext {
    inner: Arc<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    subject: String,
    tenant: Option<String>,
    scopes: Vec<String>,
    roles: Vec<String>,
    token_id: Option<String>,
    expires_at: Option<SystemTime>,
}

impl SecurityContext {
    /// A context for `subject` with no tenant, scopes, token id or expiry.
    pub fn new(subject: impl Into<String>) -> Self {
        Self {
            inner: Arc::new(Inner {
                subject: subject.into(),
                tenant: None,
                scopes: Vec::new(),
                roles: Vec::new(),
                token_id: None,
                expires_at: None,
            }),
        }
    }

    /// With `tenant` as the caller's tenant.
    #[must_use]
    pub fn with_tenant(mut self, tenant: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.inner).tenant = Some(tenant.into());
        self
    }

    /// With `scopes` as the caller's scopes (in place of any set before).
    #[must_use]
    pub fn with_scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Arc::make_mut(&mut self.inner).scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// With `roles` as the caller's roles (in place of any set before).
    ///
    /// ```
    /// use modkit::security::SecurityContext;
    ///
    /// let caller = SecurityContext::new("user-42").with_roles(["editor"]);
    /// assert!(caller.has_role("editor"));
    /// assert!(!caller.has_role("admin"));
    /// ```
    #[must_use]
    pub fn with_roles<I, S>(mut self, roles: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Arc::make_mut(&mut self.inner).roles = roles.into_iter().map(Into::into).collect();
        self
    }

    /// With `token_id` (the token's `jti`).
    #[must_use]
    pub fn with_token_id(mut self, token_id: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.inner).token_id = Some(token_id.into());
        self
    }

    /// With `expires_at` (the token's `exp`).
    #[must_use]
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        Arc::make_mut(&mut self.inner).expires_at = Some(expires_at);
        self
    }

    /// The caller (the token's `sub`).
    pub fn subject(&self) -> &str {
        &self.inner.subject
    }

    /// The caller's tenant (the claim `auth.jwt.tenant_claim` names), if the token has one.
    pub fn tenant(&self) -> Option<&str> {
        self.inner.tenant.as_deref()
    }

    /// The caller's scopes (the token's `scope`, space separated, or `scp`).
    pub fn scopes(&self) -> &[String] {
        &self.inner.scopes
    }

    /// Whether the caller has `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.inner.scopes.iter().any(|s| s == scope)
    }

    /// The caller's roles (from the claim `auth.jwt.roles_claim` names; none without it).
    pub fn roles(&self) -> &[String] {
        &self.inner.roles
    }

    /// Whether the caller has `role`.
    pub fn has_role(&self, role: &str) -> bool {
        self.inner.roles.iter().any(|r| r == role)
    }

    /// The token's id (`jti`), if it has one.
    pub fn token_id(&self) -> Option<&str> {
        self.inner.token_id.as_deref()
    }

    /// When the token expires (`exp`).
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.inner.expires_at
    }

    /// The context of the request the current task is serving, if any: set by the REST
    /// host around a handler, or by [`scope`](Self::scope).
    pub fn current() -> Option<Self> {
        CURRENT.try_with(Self::clone).ok()
    }

    /// Runs `future` with this context as [`current`](Self::current) (for a task a handler
    /// spawns, say, which does not inherit its caller's).
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        CURRENT.scope(self, future).await
    }
}

impl fmt::Debug for SecurityContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecurityContext")
            .field("subject", &self.inner.subject)
            .field("tenant", &self.inner.tenant)
            .field("scopes", &self.inner.scopes)
            .field("roles", &self.inner.roles)
            .field("token_id", &self.inner.token_id)
            .field("expires_at", &self.inner.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_context_is_current_only_inside_its_scope_and_not_in_spawned_tasks() {
        let caller = SecurityContext::new("alice").with_scopes(["a", "b"]);
        let (inside, spawned) = caller
            .clone()
            .scope(async {
                let spawned = tokio::spawn(async { SecurityContext::current() })
                    .await
                    .unwrap();
                (SecurityContext::current(), spawned)
            })
            .await;
        assert_eq!(inside, Some(caller));
        assert_eq!(spawned, None);
        assert_eq!(SecurityContext::current(), None);
    }
}
