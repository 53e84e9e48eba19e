//! [`Access`]: who may call an operation when the REST host authenticates callers.

use std::collections::HashMap;

use axum::http::Method;

/// Who may call an operation, once the REST host has `auth` configured (without it every
/// operation is public).
///
/// Secure by default: an operation needs a valid bearer token unless its
/// [`OperationBuilder`](super::OperationBuilder) says [`.public()`](super::OperationBuilder::public);
/// [`.require_scopes(..)`](super::OperationBuilder::require_scopes) adds scopes the token must
/// carry, [`.require_roles(..)`](super::OperationBuilder::require_roles) roles (403
/// otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Anyone may call it.
    Public,
    /// Callers with a valid token carrying every one of these scopes and roles (none: any
    /// valid token).
    Authenticated {
        /// Scopes the token must carry (its `scope` or `scp` claim).
        scopes: Vec<String>,
        /// Roles the token must carry (the claim `auth.jwt.roles_claim` names).
        roles: Vec<String>,
    },
}

impl Default for Access {
    /// Any valid token.
    fn default() -> Self {
        Self::Authenticated {
            scopes: Vec::new(),
            roles: Vec::new(),
        }
    }
}

/// Every documented operation's [`Access`], by method and route (as axum's `MatchedPath`
/// spells it). A route not in it needs a valid token.
#[derive(Debug, Clone, Default)]
pub struct AccessTable {
    routes: HashMap<(Method, String), Access>,
}

impl AccessTable {
    /// Sets the access of `method path`.
    pub(crate) fn insert(&mut self, method: Method, path: String, access: Access) {
        self.routes.insert((method, path), access);
    }

    /// The access of `method path`, if the route is documented.
    pub fn get(&self, method: &Method, path: &str) -> Option<&Access> {
        // A `HEAD` request is served by the `GET` route.
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        self.routes.get(&(method.clone(), path.to_owned()))
    }
}
