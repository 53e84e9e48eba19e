//! The `diff OLD.json NEW.json` command.

use std::path::Path;

use clap::ValueEnum;

use super::DiffReport;
use crate::bootstrap::{BootstrapError, HostManifest};

/// How `diff` prints its report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One line per change, breaking changes first.
    #[default]
    Text,
    /// `{"breaking": [..], "compatible": [..]}`, each change a `kind` and a `message`.
    Json,
}

/// Reads both manifests, prints the report and fails with
/// [`BootstrapError::BreakingChanges`] when something breaks.
pub(crate) fn run(
    old: &Path,
    new: &Path,
    format: DiffFormat,
    print: impl FnOnce(&str) -> Result<(), BootstrapError>,
) -> Result<(), BootstrapError> {
    let old = HostManifest::read(old)?;
    let new = HostManifest::read(new)?;
    let report = DiffReport::between(&old, &new);
    print(&match format {
        DiffFormat::Text => report.to_text(),
        DiffFormat::Json => report.to_json() + "\n",
    })?;
    if report.is_breaking() {
        return Err(BootstrapError::BreakingChanges {
            count: report.breaking.len(),
        });
    }
    Ok(())
}
