use std::time::Duration;

/// A duration in the config was not a number with a unit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration `{input}`; use a whole number with a unit: `500ms`, `30s`, `5m`, `1h`")]
pub struct DurationParseError {
    input: String,
}

/// Parses `500ms`, `30s`, `5m` or `1h` (whitespace around the number is allowed).
///
/// ```
/// use std::time::Duration;
/// assert_eq!(modkit::config::parse_duration("1500ms")?, Duration::from_millis(1500));
/// assert_eq!(modkit::config::parse_duration("2m")?, Duration::from_secs(120));
/// assert!(modkit::config::parse_duration("2 fortnights").is_err());
/// # Ok::<(), modkit::config::DurationParseError>(())
/// ```
pub fn parse_duration(input: &str) -> Result<Duration, DurationParseError> {
    let error = || DurationParseError {
        input: input.to_owned(),
    };
    let trimmed = input.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(error)?;
    let (number, unit) = trimmed.split_at(split);
    let amount: u64 = number.parse().map_err(|_| error())?;
    let millis_per_unit = match unit.trim() {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return Err(error()),
    };
    amount
        .checked_mul(millis_per_unit)
        .map(Duration::from_millis)
        .ok_or_else(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unit() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration(" 30s "), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("5 m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
    }

    #[test]
    fn rejects_what_it_cannot_read_and_names_it() {
        for bad in ["", "30", "s", "-1s", "1.5s", "3d", "99999999999999999999h"] {
            let error = parse_duration(bad).unwrap_err();
            assert!(error.to_string().contains(&format!("`{bad}`")), "{error}");
        }
    }
}
