//! `x-request-id`: kept when the client sent a usable one, otherwise generated from a
//! per-process prefix and a counter (no syscall, no lock per request).

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderMap, HeaderName, HeaderValue};

/// The request id header.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest client-supplied id that is kept.
const MAX_LEN: usize = 128;

/// The request's id, in its extensions for handlers to read.
#[derive(Debug, Clone)]
pub struct RequestId(pub(crate) HeaderValue);

impl RequestId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        // Only visible ASCII ids are kept or made.
        self.0.to_str().unwrap_or_default()
    }
}

/// Makes request ids: `<process prefix>-<counter>`.
#[derive(Debug)]
pub(crate) struct RequestIds {
    prefix: u32,
    next: AtomicU64,
}

impl RequestIds {
    pub(crate) fn new() -> Self {
        let bytes = uuid::Uuid::new_v4().into_bytes();
        Self {
            prefix: u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]),
            next: AtomicU64::new(1),
        }
    }

    /// The client's id if it is usable, otherwise a new one.
    pub(crate) fn for_request(&self, headers: &HeaderMap) -> RequestId {
        if let Some(given) = headers.get(&REQUEST_ID)
            && usable(given)
        {
            return RequestId(given.clone());
        }
        self.generate()
    }

    /// A new id.
    pub(crate) fn generate(&self) -> RequestId {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let mut text = [0u8; 8 + 1 + 16];
        hex(u64::from(self.prefix), &mut text[..8]);
        text[8] = b'-';
        hex(n, &mut text[9..]);
        RequestId(HeaderValue::from_bytes(&text).unwrap_or(HeaderValue::from_static("0")))
    }
}

fn usable(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty() && bytes.len() <= MAX_LEN && bytes.iter().all(|b| b.is_ascii_graphic())
}

/// Writes `value` as lowercase hex into `out`, most significant digit first.
fn hex(mut value: u64, out: &mut [u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(value & 0xf) as usize];
        value >>= 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_a_client_id_is_kept() {
        let ids = RequestIds::new();
        let empty = HeaderMap::new();
        let a = ids.for_request(&empty);
        let b = ids.for_request(&empty);
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(a.as_str().len(), 25);

        let mut given = HeaderMap::new();
        given.insert(REQUEST_ID, HeaderValue::from_static("client-42"));
        assert_eq!(ids.for_request(&given).as_str(), "client-42");
        given.insert(REQUEST_ID, HeaderValue::from_static("has space"));
        assert_ne!(ids.for_request(&given).as_str(), "has space");
    }
}
