use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

/// Values of types the kernel does not know, at most one per type: what a feature keeps on a
/// kernel object (the modules' database pools on the host's contexts, the gRPC services the
/// grpc phase collected on the system context), so that the kernel type names no feature
/// type.
///
/// modkit's own features add typed accessors in their folders (`ModuleCtx::db` reads the
/// pool the db phase set); a system module can keep its own values the same way, through
/// [`SystemContext::extensions`](crate::SystemContext::extensions), keyed by a type of its
/// own.
///
/// ```
/// use modkit::base::Extensions;
///
/// struct RequestBudget(u32);
///
/// let extensions = Extensions::default();
/// extensions.set_once(RequestBudget(100));
/// extensions.set_once(RequestBudget(5)); // the first value stays
/// assert_eq!(extensions.get::<RequestBudget>().map(|b| b.0), Some(100));
/// ```
#[derive(Default)]
pub struct Extensions {
    values: RwLock<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Extensions {
    /// The value of type `T`, if one was set.
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        let values = self.values.read().unwrap_or_else(PoisonError::into_inner);
        let value = Arc::clone(values.get(&TypeId::of::<T>())?);
        value.downcast().ok()
    }

    /// The value of type `T`, made by `make` the first time it is asked for.
    pub fn get_or_insert_with<T: Send + Sync + 'static>(&self, make: impl FnOnce() -> T) -> Arc<T> {
        if let Some(value) = self.get() {
            return value;
        }
        let mut values = self.values.write().unwrap_or_else(PoisonError::into_inner);
        let value = values
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(make()));
        Arc::clone(value)
            .downcast()
            .unwrap_or_else(|_| unreachable!("the value under T's TypeId is a T"))
    }

    /// Sets the value of type `T` unless one is set already: the first wins.
    pub fn set_once<T: Send + Sync + 'static>(&self, value: T) {
        let mut values = self.values.write().unwrap_or_else(PoisonError::into_inner);
        values
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(value));
    }
}

impl fmt::Debug for Extensions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values = self.values.read().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("Extensions")
            .field("values", &values.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_per_type_and_the_first_set_wins() {
        let extensions = Extensions::default();
        assert!(extensions.get::<u32>().is_none());
        extensions.set_once(7u32);
        extensions.set_once(8u32);
        assert_eq!(*extensions.get::<u32>().unwrap(), 7);
        let made = extensions.get_or_insert_with(|| String::from("made"));
        let again = extensions.get_or_insert_with(|| String::from("not made"));
        assert_eq!((made.as_str(), again.as_str()), ("made", "made"));
        assert_eq!(*extensions.get::<u32>().unwrap(), 7);
    }
}
