//! The checked module declaration.

use proc_macro2::Span;
use syn::{Expr, Ident, LitStr, Path, Type};

use crate::lifecycle::Lifecycle;

/// A module as `#[modkit::module]` declares it.
pub(crate) struct Module {
    /// The struct.
    pub(crate) ident: Ident,
    /// The kebab-case name.
    pub(crate) name: LitStr,
    /// The names of the modules it depends on.
    pub(crate) deps: Vec<LitStr>,
    /// Each capability once, spanned on its keyword; `stateful` is added for `lifecycle(..)`.
    pub(crate) capabilities: Vec<(Capability, Span)>,
    /// Builds the instance; `Default::default()` when absent.
    pub(crate) ctor: Option<Expr>,
    /// The trait the module's ClientHub client implements.
    pub(crate) client: Option<Path>,
    /// The type of the module's `config` section, read before any module runs.
    pub(crate) config: Option<Type>,
    /// The task `lifecycle(..)` runs.
    pub(crate) lifecycle: Option<Lifecycle>,
}

/// A capability of `capabilities = [..]`: one of [`modkit_rules::CAPABILITIES`], the list
/// modkit's capability table is checked against, with the tag type it registers through.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Capability(modkit_rules::CapabilityName);

impl Capability {
    /// Every capability, in the order the docs list them.
    pub(crate) fn all() -> impl Iterator<Item = Self> {
        modkit_rules::CAPABILITIES.iter().map(|&name| Self(name))
    }

    /// The keyword.
    pub(crate) const fn keyword(self) -> &'static str {
        self.0.keyword
    }

    /// The tag type's name in `modkit::registry`.
    pub(crate) const fn tag(self) -> &'static str {
        self.0.tag
    }

    /// Whether this is `stateful`: a `Runnable` module (from `#[lifecycle]`) or
    /// `RunnableCapability`.
    pub(crate) fn is_stateful(self) -> bool {
        self.keyword() == "stateful"
    }

    /// The `stateful` capability.
    pub(crate) fn stateful() -> Self {
        Self::from_keyword("stateful").expect("modkit-rules lists `stateful`")
    }

    /// The capability `keyword` names.
    pub(crate) fn from_keyword(keyword: &str) -> Option<Self> {
        Self::all().find(|capability| capability.keyword() == keyword)
    }
}
