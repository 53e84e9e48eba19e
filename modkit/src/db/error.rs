use super::Backend;

/// Why a module's database could not be opened, migrated or handed out.
///
/// Every message names the module and, where one is involved, the migration's version and
/// the database it ran on, with any password shown as `***`. Driver errors are kept as
/// (scrubbed) text rather than as a source, because their own messages may quote the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The module's `database` settings are wrong; nothing was opened.
    #[error("invalid `{key}`: {reason}")]
    InvalidConfig {
        /// The config key at fault: `modules.users.database.server`.
        key: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The database could not be reached or opened.
    #[error("cannot open the database of module `{module}` at {target}: {reason}")]
    Connect {
        /// The module whose database it is.
        module: String,
        /// Where, with any password redacted.
        target: String,
        /// What the driver said, scrubbed of secrets.
        reason: String,
    },

    /// Reading or creating the migration history failed.
    #[error("cannot read the migration history of module `{module}` at {target}: {reason}")]
    History {
        /// The module.
        module: String,
        /// Where, with any password redacted.
        target: String,
        /// What the driver said, scrubbed of secrets.
        reason: String,
    },

    /// A migration failed; its transaction was rolled back, so it left no trace.
    #[error("migration {version} (`{name}`) of module `{module}` failed at {target}: {reason}")]
    Migration {
        /// The module.
        module: String,
        /// The migration's version.
        version: i64,
        /// The migration's name.
        name: String,
        /// Where, with any password redacted.
        target: String,
        /// What went wrong, scrubbed of secrets.
        reason: String,
    },

    /// An applied migration's content changed since it was applied.
    #[error(
        "migration {version} of module `{module}` changed after it was applied (checksum {applied} in the history, {declared} now); an applied migration must not change: restore it and add a new version"
    )]
    ChecksumMismatch {
        /// The module.
        module: String,
        /// The migration's version.
        version: i64,
        /// The checksum the history recorded.
        applied: String,
        /// The checksum of the migration as declared now.
        declared: String,
    },

    /// A migration is pending although a later version is already applied.
    #[error(
        "migration {version} of module `{module}` is not applied but the later migration {later} is; versions must be added after the last applied one"
    )]
    MissingVersion {
        /// The module.
        module: String,
        /// The version that was never applied.
        version: i64,
        /// The highest applied version.
        later: i64,
    },

    /// The history has a version the module no longer declares.
    #[error(
        "migration {version} of module `{module}` is in the history but not declared by the module; is this an older build of the module?"
    )]
    UnknownVersion {
        /// The module.
        module: String,
        /// The applied version nobody declares.
        version: i64,
    },

    /// The module declares one version twice.
    #[error("module `{module}` declares migration {version} more than once")]
    DuplicateVersion {
        /// The module.
        module: String,
        /// The repeated version.
        version: i64,
    },

    /// The module asked for a database it does not have.
    #[error(
        "module `{module}` has no database; set `modules.{module}.database.dsn` (or `.server`), or give the module the `db` capability for an embedded SQLite file"
    )]
    NoDatabase {
        /// The module.
        module: String,
    },

    /// The module asked for a pool of another engine than its database's.
    #[error("module `{module}` asked for a {wanted} pool but its database is {actual} ({target})")]
    WrongBackend {
        /// The module.
        module: String,
        /// The engine it asked for.
        wanted: Backend,
        /// The engine its database is.
        actual: Backend,
        /// Where, with any password redacted.
        target: String,
    },
}

/// `error` and its causes, `: `-separated, leaving out a cause whose text the previous
/// message already contains (drivers often repeat their cause in their own message).
pub(crate) fn describe(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    let mut last = text.clone();
    for cause in error.chain().skip(1) {
        let message = cause.to_string();
        if !last.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        last = message;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_causes_are_left_out() {
        let error = anyhow::anyhow!("error returned from database: boom").context("outer");
        assert_eq!(
            describe(&error),
            "outer: error returned from database: boom"
        );
        let plain = anyhow::Error::new(std::io::Error::other("boom"))
            .context("error returned from database: boom");
        assert_eq!(describe(&plain), "error returned from database: boom");
    }
}
