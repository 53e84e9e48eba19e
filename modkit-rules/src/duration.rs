//! Durations as written in config files and macro arguments: `500ms`, `30s`, `5m`, `1h`.

use std::fmt;

/// The units a duration may use, with their length in milliseconds.
const UNITS: [(&str, u64); 4] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)];

/// Why a duration was refused; its `Display` is the message both the macros and the config
/// loader show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    /// Not a whole number followed by a known unit.
    Invalid(String),
    /// More milliseconds than a `u64` holds.
    TooLong(String),
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(text) => write!(
                f,
                "invalid duration `{text}`; use a whole number with a unit: `500ms`, `30s`, `5m`, `1h`"
            ),
            Self::TooLong(text) => write!(f, "duration `{text}` is too long"),
        }
    }
}

impl std::error::Error for DurationError {}

/// Parses `500ms`, `30s`, `5m` or `1h` into milliseconds. Spaces around the number and
/// the unit are allowed (`30 s`); units are lowercase.
///
/// ```
/// use modkit_rules::{DurationError, parse_millis};
///
/// assert_eq!(parse_millis("1500ms"), Ok(1_500));
/// assert_eq!(parse_millis(" 2 m "), Ok(120_000));
/// assert!(matches!(parse_millis("2 fortnights"), Err(DurationError::Invalid(_))));
/// ```
pub fn parse_millis(text: &str) -> Result<u64, DurationError> {
    let invalid = || DurationError::Invalid(text.to_owned());
    let trimmed = text.trim();
    let digits = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits);
    let (_, unit_millis) = UNITS
        .iter()
        .find(|(name, _)| *name == unit.trim_start())
        .ok_or_else(invalid)?;
    if number.is_empty() {
        return Err(invalid());
    }
    let too_long = || DurationError::TooLong(text.to_owned());
    let number: u64 = number.parse().map_err(|_| too_long())?;
    number.checked_mul(*unit_millis).ok_or_else(too_long)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_converts_to_milliseconds() {
        assert_eq!(parse_millis("500ms"), Ok(500));
        assert_eq!(parse_millis("30s"), Ok(30_000));
        assert_eq!(parse_millis("5m"), Ok(300_000));
        assert_eq!(parse_millis("1h"), Ok(3_600_000));
        assert_eq!(parse_millis("0s"), Ok(0));
        assert_eq!(parse_millis("30 s"), Ok(30_000));
        assert_eq!(parse_millis(" 30s "), Ok(30_000));
    }

    #[test]
    fn a_missing_number_or_unit_is_invalid() {
        for text in [
            "",
            "30",
            "s",
            "ms",
            "30x",
            "1.5s",
            "-1s",
            "30S",
            "30sec",
            "5 minutes",
        ] {
            assert_eq!(
                parse_millis(text),
                Err(DurationError::Invalid(text.to_owned())),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_duration_past_u64_milliseconds_is_too_long() {
        for text in ["99999999999999999999s", "9999999999999999h"] {
            assert_eq!(
                parse_millis(text),
                Err(DurationError::TooLong(text.to_owned()))
            );
        }
    }

    #[test]
    fn messages_name_the_text_and_the_form_to_use() {
        assert_eq!(
            parse_millis("soon").unwrap_err().to_string(),
            "invalid duration `soon`; use a whole number with a unit: `500ms`, `30s`, `5m`, `1h`"
        );
    }
}
