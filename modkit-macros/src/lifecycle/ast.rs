//! The checked lifecycle configuration.

use syn::Ident;

/// How a module's task runs: the typed form of the lifecycle arguments.
pub(crate) struct Lifecycle {
    /// The method the task runs, spanned where it was named (on the attribute when it is
    /// the default), so a missing method is reported there.
    pub(crate) method: Ident,
    /// How long stop waits for the task after cancelling it.
    pub(crate) stop_timeout_millis: u64,
    /// When start returns.
    pub(crate) ready: ReadyMode,
}

/// When the module counts as started; mirrors `modkit::lifecycle::ReadyMode`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadyMode {
    /// As soon as the task is spawned.
    Immediate,
    /// When the task calls `ReadySignal::notify` (`await_ready`).
    AwaitSignal,
}

impl ReadyMode {
    /// The variant's name in `modkit::lifecycle::ReadyMode`.
    pub(crate) const fn variant(self) -> &'static str {
        match self {
            Self::Immediate => "Immediate",
            Self::AwaitSignal => "AwaitSignal",
        }
    }
}

/// Where lifecycle arguments are written, which decides the key that names the method.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// `#[modkit::lifecycle(method = "run", ..)]` on the module's impl block.
    ImplBlock,
    /// `#[modkit::module(.., lifecycle(entry = "serve", ..))]` on the module's struct.
    Module,
}

impl Site {
    /// The key that names the method.
    pub(crate) const fn method_key(self) -> &'static str {
        match self {
            Self::ImplBlock => "method",
            Self::Module => "entry",
        }
    }

    /// The method run when the key is not given.
    pub(crate) const fn default_method(self) -> &'static str {
        match self {
            Self::ImplBlock => "run",
            Self::Module => "serve",
        }
    }

    /// Every key accepted here.
    pub(crate) const fn keys(self) -> &'static [&'static str] {
        match self {
            Self::ImplBlock => &["method", "stop_timeout", "await_ready"],
            Self::Module => &["entry", "stop_timeout", "await_ready"],
        }
    }
}
