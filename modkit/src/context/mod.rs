//! What a module sees of the host: its name, configuration, clients and tasks.

mod builder;
mod module_ctx;
mod system_context;

pub use builder::ModuleContextBuilder;
pub use module_ctx::ModuleCtx;
pub use system_context::SystemContext;
