//! An error's causes on one line, for logs.

/// An error's causes, `: `-separated, for logs. A cause whose text its error already ends
/// with (`cannot listen: address in use` over `address in use`) is not repeated.
pub(crate) struct ErrorChain<'a>(pub(crate) &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut above = self.0.to_string();
        let mut source = self.0.source();
        let mut first = true;
        while let Some(cause) = source {
            let text = cause.to_string();
            if !above.ends_with(&text) {
                if !first {
                    f.write_str(": ")?;
                }
                f.write_str(&text)?;
                first = false;
            }
            above = text;
            source = cause.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot listen on `x`: {source}")]
    struct Repeats {
        source: std::io::Error,
    }

    #[derive(Debug, thiserror::Error)]
    #[error("start-up failed")]
    struct Outer(#[source] Repeats);

    #[test]
    fn a_cause_the_message_already_shows_is_not_repeated() {
        let error = Outer(Repeats {
            source: std::io::Error::other("address in use"),
        });
        assert_eq!(
            ErrorChain(&error).to_string(),
            "cannot listen on `x`: address in use"
        );
    }
}
