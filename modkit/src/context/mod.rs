//! What a module sees of the host: its name, configuration, clients and tasks.

mod builder;
mod module_ctx;

pub use builder::ModuleContextBuilder;
pub use module_ctx::ModuleCtx;
