//! Whether a request is worth a span: not when the sampler would drop its trace anyway.

use http::HeaderMap;

use super::filter::SAMPLER;

/// Whether a request with `headers` can be sampled: false when the sampler would drop its
/// trace whatever its id (a ratio of 0, or a caller's `traceparent` saying "not sampled"
/// to a parent-based sampler), so that it costs no span.
pub(crate) fn worth_a_span(headers: &HeaderMap) -> bool {
    let Some(sampler) = SAMPLER.get() else {
        return false;
    };
    if sampler.parent_based {
        if let Some(sampled) = caller_sampled(headers) {
            return sampled;
        }
    }
    sampler.ratio > 0.0
}

/// The sampled flag of a well-formed `traceparent` (`00-<trace>-<span>-<flags>`).
fn caller_sampled(headers: &HeaderMap) -> Option<bool> {
    let value = headers.get("traceparent")?.to_str().ok()?;
    let mut parts = value.trim().split('-');
    let (_version, trace, span, flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if trace.len() != 32 || span.len() != 16 || flags.len() != 2 {
        return None;
    }
    let flags = u8::from_str_radix(flags, 16).ok()?;
    Some(flags & 1 == 1)
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn the_callers_flag_is_read_from_a_well_formed_traceparent() {
        let mut headers = HeaderMap::new();
        assert_eq!(caller_sampled(&headers), None);
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert("traceparent", HeaderValue::from_static(value));
            caller_sampled(&headers)
        };
        assert_eq!(
            with("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            Some(true)
        );
        assert_eq!(
            with("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"),
            Some(false)
        );
        assert_eq!(with("00-4bf92f-00f067aa0ba902b7-01"), None);
        headers.insert("traceparent", HeaderValue::from_static("garbage"));
        assert_eq!(caller_sampled(&headers), None);
    }
}
