//! `stop_timeout = "30s"`: read with the same rule as durations in the host's config
//! (`modkit_rules::parse_millis`), so a value that works in one works in the other.

use syn::LitStr;

/// A duration literal in milliseconds, or an error spanned on it.
pub(crate) fn parse_literal(literal: &LitStr) -> syn::Result<u64> {
    modkit_rules::parse_millis(&literal.value())
        .map_err(|error| syn::Error::new(literal.span(), error.to_string()))
}
