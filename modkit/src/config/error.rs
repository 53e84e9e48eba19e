/// A module's configuration could not be read into the type it asked for.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A value has the wrong type or a required field is missing.
    #[error("invalid config for module `{module}` at `{path}`: {reason}")]
    Invalid {
        /// The module whose section was read.
        module: String,
        /// Where in the host config: `modules.users.config.page_size`.
        path: String,
        /// What serde said.
        reason: String,
    },
}
