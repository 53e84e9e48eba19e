use std::fmt;

/// A module's place in its registry's dependency order
/// ([`ModuleRegistry::modules`](crate::ModuleRegistry::modules)): the runtime's handle on a
/// module, cheaper to pass and compare than its name.
///
/// Ids are dense (`0..registry.len()`), so per-module state lives in plain vectors indexed
/// by [`index`](Self::index). An id means nothing outside the registry that gave it.
///
/// ```
/// use modkit::base::ModuleId;
///
/// let id = ModuleId::from_index(3);
/// assert_eq!(id.index(), 3);
/// assert_eq!(id.to_string(), "#3");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(u32);

impl ModuleId {
    /// The id of the module at `index` in dependency order.
    ///
    /// # Panics
    /// If `index` does not fit in a `u32`: a registry refuses more than `u32::MAX` modules
    /// long before that.
    pub fn from_index(index: usize) -> Self {
        Self(u32::try_from(index).expect("a registry holds fewer than 2^32 modules"))
    }

    /// The module's position in dependency order.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The raw position, for compact tables of ids.
    pub(crate) fn raw(self) -> u32 {
        self.0
    }

    /// The id of raw position `raw`.
    pub(crate) fn from_raw(raw: u32) -> Self {
        Self(raw)
    }
}

impl fmt::Display for ModuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
