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

/// A capability keyword of `capabilities = [..]`; each has an installer function of the
/// same name in `modkit::__private::capability`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Capability {
    /// `db`: `DatabaseCapability`.
    Db,
    /// `rest`: `RestApiCapability`.
    Rest,
    /// `rest_host`: `ApiGatewayCapability`.
    RestHost,
    /// `stateful`: a `Runnable` module (from `#[lifecycle]`) or `RunnableCapability`.
    Stateful,
    /// `system`: `SystemCapability`.
    System,
    /// `grpc_hub`: `GrpcHubCapability`.
    GrpcHub,
    /// `grpc`: `GrpcServiceCapability`.
    Grpc,
}

impl Capability {
    /// Every capability, in the order the docs list them.
    pub(crate) const ALL: [Self; 7] = [
        Self::Db,
        Self::Rest,
        Self::RestHost,
        Self::Stateful,
        Self::System,
        Self::GrpcHub,
        Self::Grpc,
    ];

    /// The keyword, which is also the installer function's name.
    pub(crate) const fn keyword(self) -> &'static str {
        match self {
            Self::Db => "db",
            Self::Rest => "rest",
            Self::RestHost => "rest_host",
            Self::Stateful => "stateful",
            Self::System => "system",
            Self::GrpcHub => "grpc_hub",
            Self::Grpc => "grpc",
        }
    }

    /// The capability `keyword` names.
    pub(crate) fn from_keyword(keyword: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|capability| capability.keyword() == keyword)
    }
}
