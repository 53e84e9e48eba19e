//! `stop_timeout = "30s"`: a whole number and a unit.

use syn::LitStr;

/// The units a duration may use, with their length in milliseconds.
const UNITS: [(&str, u64); 4] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)];

/// Why a duration was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DurationError {
    /// Not a number followed by a known unit.
    Invalid,
    /// More milliseconds than a `u64` holds.
    TooLong,
}

/// Parses `500ms`, `30s`, `5m` or `1h` into milliseconds.
pub(crate) fn parse_millis(text: &str) -> Result<u64, DurationError> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let (_, unit_millis) = UNITS
        .iter()
        .find(|(name, _)| *name == unit)
        .ok_or(DurationError::Invalid)?;
    if number.is_empty() {
        return Err(DurationError::Invalid);
    }
    let number: u64 = number.parse().map_err(|_| DurationError::TooLong)?;
    number
        .checked_mul(*unit_millis)
        .ok_or(DurationError::TooLong)
}

/// [`parse_millis`] on a string literal, with an error spanned on it.
pub(crate) fn parse_literal(literal: &LitStr) -> syn::Result<u64> {
    let text = literal.value();
    parse_millis(&text).map_err(|error| {
        let message = match error {
            DurationError::Invalid => format!(
                "invalid duration `{text}`; use a number with a unit: `500ms`, `30s`, `5m`, `1h`"
            ),
            DurationError::TooLong => format!("duration `{text}` is too long"),
        };
        syn::Error::new(literal.span(), message)
    })
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
    }

    #[test]
    fn a_missing_number_or_unit_is_invalid() {
        for text in [
            "", "30", "s", "ms", "30x", "30 s", " 30s", "1.5s", "-1s", "30S", "30sec",
        ] {
            assert_eq!(parse_millis(text), Err(DurationError::Invalid), "{text:?}");
        }
    }

    #[test]
    fn a_duration_past_u64_milliseconds_is_too_long() {
        assert_eq!(
            parse_millis("99999999999999999999s"),
            Err(DurationError::TooLong)
        );
        assert_eq!(
            parse_millis("9999999999999999h"),
            Err(DurationError::TooLong)
        );
    }
}
