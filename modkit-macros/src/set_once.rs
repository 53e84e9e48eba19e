//! Keys that may be given once.

use proc_macro2::Span;

use crate::errors::Errors;

/// The value of a key that may be given at most once; a second one is reported and dropped.
pub(crate) struct SetOnce<T> {
    key: &'static str,
    value: Option<T>,
}

impl<T> SetOnce<T> {
    /// An empty slot for `key`.
    pub(crate) fn new(key: &'static str) -> Self {
        Self { key, value: None }
    }

    /// Stores `value`, or reports `key is given twice` at `span` (the second key).
    pub(crate) fn set(&mut self, span: Span, value: T, errors: &mut Errors) {
        if self.value.is_some() {
            let message = format!("key `{}` is given twice", self.key);
            errors.push(syn::Error::new(span, message));
        } else {
            self.value = Some(value);
        }
    }

    /// The value, if the key was given.
    pub(crate) fn take(self) -> Option<T> {
        self.value
    }
}
