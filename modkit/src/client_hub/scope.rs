//! The key that tells several clients of one type apart.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The name under which one of several clients of the same type is registered, for example
/// one plugin among many implementing the same trait.
///
/// Cloning is cheap (a pointer copy, or a reference-count bump for an owned name), so a
/// scope can be kept around and passed by value freely. Scopes compare, order and hash as
/// their names do.
///
/// ```
/// use modkit::ClientScope;
///
/// let smtp = ClientScope::from("smtp");
/// assert_eq!(smtp, ClientScope::new(String::from("smtp")));
/// assert_eq!(smtp.as_str(), "smtp");
/// assert_eq!(smtp.to_string(), "smtp");
/// ```
#[derive(Clone)]
pub struct ClientScope(Name);

/// A `&'static str` needs no allocation; anything else is shared behind an `Arc`.
#[derive(Clone)]
enum Name {
    Static(&'static str),
    Shared(Arc<str>),
}

impl ClientScope {
    /// Creates a scope named `name`.
    ///
    /// ```
    /// use modkit::ClientScope;
    ///
    /// let tenant = 42;
    /// let scope = ClientScope::new(format!("tenant-{tenant}"));
    /// assert_eq!(scope.as_str(), "tenant-42");
    /// ```
    pub fn new(name: impl Into<Arc<str>>) -> Self {
        Self(Name::Shared(name.into()))
    }

    /// The scope's name.
    ///
    /// ```
    /// use modkit::ClientScope;
    ///
    /// assert_eq!(ClientScope::from("smtp").as_str(), "smtp");
    /// ```
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Name::Static(name) => name,
            Name::Shared(name) => name,
        }
    }
}

impl From<&'static str> for ClientScope {
    fn from(name: &'static str) -> Self {
        Self(Name::Static(name))
    }
}

impl From<String> for ClientScope {
    fn from(name: String) -> Self {
        Self::new(name)
    }
}

impl From<&ClientScope> for ClientScope {
    fn from(scope: &ClientScope) -> Self {
        scope.clone()
    }
}

impl AsRef<str> for ClientScope {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

// Lets maps keyed by scope be searched with a plain `&str`; sound because `Eq`, `Ord` and
// `Hash` below all follow `str`'s.
impl Borrow<str> for ClientScope {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for ClientScope {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ClientScope {}

impl PartialOrd for ClientScope {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ClientScope {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for ClientScope {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Display for ClientScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ClientScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientScope").field(&self.as_str()).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::hash_map::DefaultHasher;

    use super::*;

    fn hash_of(value: &impl Hash) -> u64 {
        let mut hasher = DefaultHasher::new();
        value.hash(&mut hasher);
        hasher.finish()
    }

    #[test]
    fn static_and_owned_names_are_the_same_scope() {
        let borrowed = ClientScope::from("smtp");
        let owned = ClientScope::from(String::from("smtp"));
        assert_eq!(borrowed, owned);
        assert_eq!(hash_of(&borrowed), hash_of(&owned));
        assert_eq!(hash_of(&borrowed), hash_of(&"smtp"));
    }

    #[test]
    fn scopes_order_by_name() {
        let mut scopes = [
            ClientScope::from("b"),
            ClientScope::new("c"),
            ClientScope::from(String::from("a")),
        ];
        scopes.sort();
        let names: Vec<_> = scopes.iter().map(ClientScope::as_str).collect();
        assert_eq!(names, ["a", "b", "c"]);
    }

    #[test]
    fn display_is_the_bare_name_and_debug_is_quoted() {
        let scope = ClientScope::from("smtp");
        assert_eq!(scope.to_string(), "smtp");
        assert_eq!(format!("{scope:?}"), r#"ClientScope("smtp")"#);
    }
}
